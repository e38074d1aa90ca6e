//! Bodies' HTML and text packed while a build waits to render their pages and
//! index them.
//!
//! At the end of loading a large collection every body would be held at once, at
//! the highest point of the build: at 100,000 realistic resources about 420 MB of
//! HTML and 320 MB of text, most of its 1.3 GB. Packed at zstd's fastest level
//! they take under half of that, for a few per cent more work.

use almanac_search::Text;

use crate::markdown::Rendered;

/// One entry's body HTML and text, packed; the rest of its [`Rendered`]
/// stays where it was.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Packed {
    html: Text,
    text: Text,
}

impl Packed {
    /// Takes `rendered`'s HTML and text, leaving them empty there.
    pub fn take(rendered: &mut Rendered) -> Packed {
        Packed {
            html: Text::packed(&std::mem::take(&mut rendered.html)),
            text: Text::packed(&std::mem::take(&mut rendered.text)),
        }
    }

    /// The HTML, in an allocation of its length.
    pub fn html(&self) -> String {
        self.html.read().into_owned()
    }

    /// Hands the text over (to the search index, its last reader).
    pub fn take_text(&mut self) -> Text {
        std::mem::take(&mut self.text)
    }

    /// Lets go of the HTML (its page is made).
    pub fn release_html(&mut self) {
        self.html = Text::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_comes_back_as_it_went_in() {
        let html = "<p>Fairness <a href=\"/glossary/bias/\">bias</a> — ünïcode.</p>\n".repeat(40);
        let text = "Fairness bias — ünïcode.\n".repeat(40);
        let mut rendered = Rendered {
            html: html.clone(),
            text: text.clone(),
            headings: Vec::new(),
            links: Vec::new(),
        };
        let mut packed = Packed::take(&mut rendered);
        assert_eq!((rendered.html.as_str(), rendered.text.as_str()), ("", ""));
        let back = packed.html();
        assert_eq!((&back, back.capacity()), (&html, html.len()));
        assert_eq!(packed.take_text().read(), text);
        assert_eq!(packed.take_text().read(), "", "handed over once");
        packed.release_html();
        assert_eq!(packed.html(), "");
        assert_eq!(Packed::take(&mut rendered).html(), "");
    }
}
