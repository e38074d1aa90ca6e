//! A CSL style cut down to what it does for one item type. A style chooses by
//! type at every turn (`<if type="report">`), and the CSL processor tests those
//! choices again each time it looks ahead into an element, by comparing the
//! item's type as text: a fifth of formatting a reference. The type of every
//! item of a build is one of a few, so each type's choices are made once here.
//!
//! Only what the processor would have decided the same way for every item of the
//! type is decided: a branch whose outcome hangs on a test other than its type
//! is kept, and a test the processor evaluates before the type (`is-numeric`,
//! `position`, …), which could count a variable as used, keeps its branch whole.

use hayagriva::citationberg::taxonomy::Kind;
use hayagriva::citationberg::{
    Choose, ChooseBranch, ChooseMatch, ElseBranch, IndependentStyle, LayoutRenderingElement,
    NamesChild,
};

/// `style` as it formats an item of type `kind` (`None`: a type the processor
/// does not know, which no type test matches).
pub fn for_type(style: &IndependentStyle, kind: Option<Kind>) -> IndependentStyle {
    let mut style = style.clone();
    elements(&mut style.citation.layout.elements, kind);
    if let Some(bibliography) = &mut style.bibliography {
        elements(&mut bibliography.layout.elements, kind);
    }
    for csl_macro in &mut style.macros {
        elements(&mut csl_macro.children, kind);
    }
    style
}

fn elements(elements: &mut [LayoutRenderingElement], kind: Option<Kind>) {
    for element in elements {
        match element {
            LayoutRenderingElement::Group(group) => self::elements(&mut group.children, kind),
            LayoutRenderingElement::Names(names) => {
                for child in &mut names.children {
                    if let NamesChild::Substitute(substitute) = child {
                        self::elements(&mut substitute.children, kind);
                    }
                }
            }
            LayoutRenderingElement::Choose(choose) => decide(choose, kind),
            LayoutRenderingElement::Text(_)
            | LayoutRenderingElement::Date(_)
            | LayoutRenderingElement::Number(_)
            | LayoutRenderingElement::Label(_) => {}
        }
    }
}

/// What a branch comes to for every item of one type.
enum Outcome {
    /// Never taken, and testing it has no effect.
    Never,
    /// Always taken, and testing it has no effect.
    Always,
    /// Taken or not as the item's other variables are.
    Depends,
}

/// The outcome of `branch` for items of type `kind`, its type test taken out
/// where the outcome still depends on the rest.
fn outcome(branch: &mut ChooseBranch, kind: Option<Kind>) -> Outcome {
    // The processor evaluates these before the type; they stay as they are.
    let earlier = branch.disambiguate.is_some()
        || branch.is_numeric.is_some()
        || branch.is_uncertain_date.is_some()
        || branch.locator.is_some()
        || branch.position.is_some();
    if earlier {
        return Outcome::Depends;
    }
    let Some(types) = &branch.type_ else {
        return Outcome::Depends;
    };
    let results: Vec<bool> = types.iter().map(|&t| Some(t) == kind).collect();
    // The tests short-circuit in order, types before variables: a decided
    // result means the variables are never looked at.
    let decided = match branch.match_ {
        ChooseMatch::All => results.contains(&false).then_some(Outcome::Never),
        ChooseMatch::Any => results.contains(&true).then_some(Outcome::Always),
        ChooseMatch::None => results.contains(&true).then_some(Outcome::Never),
    };
    if let Some(decided) = decided {
        return decided;
    }
    branch.type_ = None;
    if branch.variable.as_ref().is_some_and(|v| !v.is_empty()) {
        return Outcome::Depends;
    }
    // No test left: all of none holds, any of none does not, none of none holds.
    match branch.match_ {
        ChooseMatch::All | ChooseMatch::None => Outcome::Always,
        ChooseMatch::Any => Outcome::Never,
    }
}

/// A branch without tests: taken when `taken`, never otherwise.
fn constant(taken: bool, children: Vec<LayoutRenderingElement>) -> ChooseBranch {
    ChooseBranch {
        disambiguate: None,
        is_numeric: None,
        is_uncertain_date: None,
        locator: None,
        position: None,
        type_: None,
        variable: None,
        match_: if taken {
            ChooseMatch::All
        } else {
            ChooseMatch::Any
        },
        children,
    }
}

/// `choose` with the branches an item of type `kind` never takes left out, and
/// what follows a branch it always takes.
fn decide(choose: &mut Choose, kind: Option<Kind>) {
    let branches = std::iter::once(std::mem::replace(&mut choose.if_, constant(false, vec![])))
        .chain(std::mem::take(&mut choose.else_if));
    let mut kept: Vec<ChooseBranch> = Vec::new();
    let mut last = choose.otherwise.take();
    for mut branch in branches {
        match outcome(&mut branch, kind) {
            Outcome::Never => {}
            Outcome::Depends => kept.push(branch),
            Outcome::Always => {
                last = Some(ElseBranch {
                    children: branch.children,
                });
                break;
            }
        }
    }
    for branch in &mut kept {
        elements(&mut branch.children, kind);
    }
    if let Some(last) = &mut last {
        elements(&mut last.children, kind);
    }
    let mut kept = kept.into_iter();
    match kept.next() {
        Some(first) => {
            choose.if_ = first;
            choose.else_if = kept.collect();
            choose.otherwise = last;
        }
        // Nothing left to test: the one way through, or none.
        None => {
            choose.if_ = match last {
                Some(last) => constant(true, last.children),
                None => constant(false, vec![]),
            };
        }
    }
}
