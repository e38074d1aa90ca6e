//! A graph of triples kept in the order they are added, written as Turtle and as
//! JSON-LD by the oxigraph project's serializers, with the usual prefixes.

use oxrdf::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};

use super::ExportError;

pub const DCAT: &str = "http://www.w3.org/ns/dcat#";
pub const DCATAP: &str = "http://data.europa.eu/r5r/";
pub const DCT: &str = "http://purl.org/dc/terms/";
pub const FOAF: &str = "http://xmlns.com/foaf/0.1/";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const SCHEMA: &str = "https://schema.org/";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

const PREFIXES: [(&str, &str); 9] = [
    ("dcat", DCAT),
    ("dcatap", DCATAP),
    ("dct", DCT),
    ("foaf", FOAF),
    ("rdf", RDF),
    ("schema", SCHEMA),
    ("skos", SKOS),
    ("vcard", VCARD),
    ("xsd", XSD),
];

/// Triples in the order added: a subject's triples are added together, so the
/// Turtle groups them.
#[derive(Default)]
pub struct Graph {
    triples: Vec<Triple>,
}

/// An IRI, or why it is not one.
pub fn iri(text: &str) -> Result<NamedNode, ExportError> {
    NamedNode::new(text).map_err(|e| ExportError::Rdf(format!("`{text}` is not an IRI: {e}")))
}

/// A term of a vocabulary (`term(DCAT, "Catalog")`).
pub fn term(vocabulary: &str, name: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{vocabulary}{name}"))
}

/// Text in a language, or plain where the tag is not one RDF takes.
pub fn text(value: &str, language: &str) -> Literal {
    Literal::new_language_tagged_literal(value, language.to_ascii_lowercase())
        .unwrap_or_else(|_| Literal::new_simple_literal(value))
}

pub fn plain(value: &str) -> Literal {
    Literal::new_simple_literal(value)
}

/// A date known to the year (`xsd:gYear`), month (`xsd:gYearMonth`) or day (`xsd:date`).
pub fn date(date: &crate::model::date::PartialDate) -> Literal {
    let datatype = match (date.month, date.day) {
        (Some(_), Some(_)) => "date",
        (Some(_), None) => "gYearMonth",
        _ => "gYear",
    };
    Literal::new_typed_literal(date.to_string(), term(XSD, datatype))
}

impl Graph {
    pub fn add(&mut self, subject: &NamedNode, predicate: NamedNode, object: impl Into<Term>) {
        self.triples.push(Triple::new(
            NamedOrBlankNode::NamedNode(subject.clone()),
            predicate,
            object.into(),
        ));
    }

    pub fn a(&mut self, subject: &NamedNode, class: NamedNode) {
        self.add(subject, term(RDF, "type"), class);
    }

    pub fn turtle(&self) -> Result<String, ExportError> {
        let mut serializer = oxttl::TurtleSerializer::new();
        for (prefix, iri) in PREFIXES {
            serializer = serializer
                .with_prefix(prefix, iri)
                .map_err(|e| ExportError::Rdf(e.to_string()))?;
        }
        let mut writer = serializer.for_writer(Vec::new());
        for triple in &self.triples {
            writer
                .serialize_triple(triple)
                .map_err(|e| ExportError::Rdf(e.to_string()))?;
        }
        let bytes = writer
            .finish()
            .map_err(|e| ExportError::Rdf(e.to_string()))?;
        String::from_utf8(bytes).map_err(|_| ExportError::NotText("a Turtle file"))
    }

    /// JSON-LD, indented for readers.
    pub fn json_ld(&self) -> Result<String, ExportError> {
        let mut serializer = oxjsonld::JsonLdSerializer::new();
        for (prefix, iri) in PREFIXES {
            serializer = serializer
                .with_prefix(prefix, iri)
                .map_err(|e| ExportError::Rdf(e.to_string()))?;
        }
        let mut writer = serializer.for_writer(Vec::new());
        for triple in &self.triples {
            writer
                .serialize_quad(triple.as_ref().in_graph(oxrdf::GraphNameRef::DefaultGraph))
                .map_err(|e| ExportError::Rdf(e.to_string()))?;
        }
        let bytes = writer
            .finish()
            .map_err(|e| ExportError::Rdf(e.to_string()))?;
        let value: serde_json::Value = serde_json::from_slice(&bytes)?;
        let mut text = serde_json::to_string_pretty(&value)?;
        text.push('\n');
        Ok(text)
    }
}
