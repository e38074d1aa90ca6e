#!/usr/bin/env python3
"""Generate a synthetic Almanac collection for benchmarks.

    python3 bench/generate.py 10000 target/bench/collection-10000
    python3 bench/generate.py --realistic 100000 target/bench/realistic-100000

Writes almanac.yaml and content/ with N resources spread over nested sections,
four taxonomies (two controlled, one single-term, one open), a glossary of 200
terms, internal links, related entries and Markdown bodies of about 200 words
drawn from 60 words. The output depends only on the arguments (a fixed seed), so
runs are comparable.

--languages fr,de adds a translation of every entry, section and glossary term into
each language (a collection published in several languages).

--realistic gives the collections curators keep: a glossary of 500 terms whose
titles the bodies mention (so the autolinker links them), bodies of about 370
words with a long-tailed vocabulary of 20,000 words (as prose has, so the search
index holds as many distinct terms as a real one). --glossary, --words and
--vocabulary set each of these on their own.
"""

import argparse
import os
import random
import shutil

WORDS = (
    "data ethics public sector algorithm transparency accountability fairness privacy "
    "assessment impact audit governance framework guidance standard council service "
    "citizen decision automated model training bias risk oversight register procurement "
    "design evaluation monitoring consent trust open dataset community participation "
    "explainability safety security rights dignity inclusion accessibility sustainability "
    "review policy principle practice toolkit checklist canvas charter declaration law"
).split()

TYPES = ["guidance", "standard", "tool", "legislation", "report", "framework",
         "principles", "toolkit", "course", "case-study", "register", "checklist"]
PRINCIPLES = ["transparency", "accountability", "fairness", "privacy", "safety",
              "human-oversight", "sustainability", "inclusion", "explainability",
              "beneficence", "non-maleficence", "autonomy", "justice", "dignity", "trust"]
AUDIENCES = ["public-servants", "policy-makers", "data-scientists", "senior-leaders",
             "procurement", "citizens", "researchers", "councillors"]
SECTIONS = ["guidance", "standards", "tools", "legislation", "research",
            "leadership/governance", "leadership/procurement", "leadership/culture",
            "practice/design", "practice/evaluation"]


SYLLABLES = ("ba be bi bo bu da de di do du fa fe fi fo ga ge go ka ke ki ko la le li lo "
             "lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so "
             "ta te ti to tu va ve vi vo za ze zo an en in on ar er or al el il").split()


def long_tailed_words(count, rng):
    """The 60 domain words first, then invented ones; drawn with Zipf's weights, so
    a few are everywhere and most are rare, as in prose."""
    words = list(WORDS)
    seen = set(words)
    while len(words) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    weights = [1.0 / (rank + 1) for rank in range(len(words))]
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    return words, cumulative


class Text:
    """Sentences from a vocabulary: uniform over the 60 domain words by default,
    long-tailed when a larger vocabulary is asked for."""

    def __init__(self, rng, vocabulary):
        self.rng = rng
        self.zipf = None
        if vocabulary > len(WORDS):
            self.zipf = long_tailed_words(vocabulary, random.Random(vocabulary))

    def word(self):
        if self.zipf is None:
            return self.rng.choice(WORDS)
        words, cumulative = self.zipf
        return self.rng.choices(words, cum_weights=cumulative)[0]

    def sentence(self, n, mention=None):
        words = [self.word() for _ in range(n)]
        if mention:
            words.insert(self.rng.randrange(len(words)), mention)
        return " ".join(words).capitalize() + "."

    def paragraph(self, sentences, mentions=()):
        mentions = list(mentions)
        return " ".join(
            self.sentence(self.rng.randint(8, 16), mentions.pop() if mentions else None)
            for _ in range(sentences))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="how many resources")
    parser.add_argument("out", help="the collection's folder (replaced)")
    parser.add_argument("--realistic", action="store_true",
                        help="--glossary 500 --words 370 --vocabulary 20000")
    parser.add_argument("--glossary", type=int, help="glossary terms (default 200)")
    parser.add_argument("--words", type=int, help="words per resource body (default about 200)")
    parser.add_argument("--vocabulary", type=int, help="distinct words in bodies (default 60)")
    parser.add_argument("--languages", default="",
                        help="other languages to translate every file into, e.g. fr,de")
    args = parser.parse_args()
    n, out = args.n, args.out
    glossary_size = args.glossary or (500 if args.realistic else 200)
    body_words = args.words or (370 if args.realistic else None)
    vocabulary = args.vocabulary or (20000 if args.realistic else len(WORDS))
    # The default collection is the same as before these options existed.
    seed = 20261127 + n
    if (glossary_size, body_words, vocabulary) != (200, None, len(WORDS)):
        seed += 7919 * glossary_size + 104729 * (body_words or 0) + vocabulary
    rng = random.Random(seed)
    text = Text(rng, vocabulary)
    sentence = lambda rng, k: text.sentence(k)
    paragraph = lambda rng, k: text.paragraph(k)
    if os.path.exists(out):
        shutil.rmtree(out)
    content = os.path.join(out, "content")
    os.makedirs(content)

    def term_map(terms):
        return "\n".join(
            f"      {t}: {{ label: {t.replace('-', ' ').capitalize()}, description: {sentence(rng, 8)} }}"
            for t in terms)

    with open(os.path.join(out, "almanac.yaml"), "w") as f:
        f.write(f"""title: Synthetic collection of {n} resources
description: A generated collection for measuring build speed.
base_url: https://bench.example.org/
language: en
paginate_by: 20
glossary: {{ autolink: true }}
matrix: {{ rows: principles, columns: type }}
taxonomies:
  - name: type
    label: Resource type
    single: true
    required: true
    terms:
{term_map(TYPES)}
  - name: principles
    label: Principles
    terms:
{term_map(PRINCIPLES)}
  - name: audience
    label: Audience
    terms:
{term_map(AUDIENCES)}
  - name: topics
    label: Topics
""")

    with open(os.path.join(content, "_index.md"), "w") as f:
        f.write(f"---\ntitle: Synthetic collection\n---\n{paragraph(rng, 3)}\n")
    with open(os.path.join(content, "about.md"), "w") as f:
        f.write(f"---\ntitle: About\n---\n{paragraph(rng, 4)}\n")

    dirs = set()
    for s in SECTIONS:
        parts = s.split("/")
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]))
    for d in sorted(dirs):
        os.makedirs(os.path.join(content, d), exist_ok=True)
        with open(os.path.join(content, d, "_index.md"), "w") as f:
            title = d.split("/")[-1].capitalize()
            f.write(f"---\ntitle: {title}\ndescription: {sentence(rng, 10)}\nsort_by: title\n---\n{paragraph(rng, 2)}\n")

    glossary = os.path.join(content, "glossary")
    os.makedirs(glossary)
    with open(os.path.join(glossary, "_index.md"), "w") as f:
        f.write("---\ntitle: Glossary\nkind: glossary\n---\n")
    terms = []
    for i in range(glossary_size):
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        slug = f"{a}-{b}-{i}"
        terms.append(f"{a} {b} {i}")
        with open(os.path.join(glossary, slug + ".md"), "w") as f:
            f.write(f"---\ntitle: {a.capitalize()} {b} {i}\nsummary: {sentence(rng, 12)}\n---\n{paragraph(rng, 2)}\n")

    paths = []
    for i in range(n):
        section = SECTIONS[i % len(SECTIONS)]
        paths.append(f"{section}/resource-{i:06d}.md")
    for i, path in enumerate(paths):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7))).capitalize() + f" {i}"
        principles = sorted(set(rng.sample(PRINCIPLES, rng.randint(1, 4))))
        audience = sorted(set(rng.sample(AUDIENCES, rng.randint(1, 3))))
        topics = sorted(set(rng.choice(WORDS) for _ in range(rng.randint(1, 3))))
        related = sorted(set(rng.choice(paths) for _ in range(2)) - {path})
        link = rng.choice(paths)
        year = rng.randint(2005, 2026)
        month = rng.randint(1, 12)
        if body_words is None:
            body = (
                f"{paragraph(rng, 4)}\n\n## How to use it\n\n{paragraph(rng, 3)} "
                f"See also [a related entry](@/{link}).\n\n"
                f"- {sentence(rng, 8)}\n- {sentence(rng, 8)}\n- {sentence(rng, 8)}\n\n"
                f"## Background\n\n{paragraph(rng, 3)}\n"
            )
        else:
            # Sentences average 12 words; a few of them name glossary terms.
            per_part = max(1, body_words // 12 // 3)
            mentions = rng.sample(terms, min(len(terms), 4))
            body = (
                f"{text.paragraph(per_part, mentions[:2])}\n\n## How to use it\n\n"
                f"{text.paragraph(per_part, mentions[2:3])} "
                f"See also [a related entry](@/{link}).\n\n"
                f"- {sentence(rng, 8)}\n- {sentence(rng, 8)}\n- {sentence(rng, 8)}\n\n"
                f"## Background\n\n{text.paragraph(per_part, mentions[3:])}\n"
            )
        with open(os.path.join(content, path), "w") as f:
            f.write(
                "---\n"
                f"title: {title}\n"
                f"summary: {sentence(rng, 18)}\n"
                f"url: https://resources.example.org/{i}\n"
                f"publisher: Publisher {rng.randint(1, 300)}\n"
                f"published: {year}-{month:02d}\n"
                f"reviewed: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}\n"
                f"type: {rng.choice(TYPES)}\n"
                f"principles: [{', '.join(principles)}]\n"
                f"audience: [{', '.join(audience)}]\n"
                f"topics: [{', '.join(topics)}]\n"
                f"related: [{', '.join(related)}]\n"
                "---\n"
                f"{body}"
            )


    languages = [code for code in args.languages.split(",") if code]
    if languages:
        translate(out, languages)


def translate(out, languages):
    """Declares the languages and writes `x.<code>.md` beside every file: the words
    (title, summary, description, body) marked as that language's, the rest left to
    the source, as a translator's file is."""
    config = os.path.join(out, "almanac.yaml")
    with open(config) as f:
        text = f.read()
    declared = "".join(f"  {code}: {{ name: {code.upper()} }}\n" for code in ["en", *languages])
    text = text.replace("language: en\n", f"language: en\nlanguages:\n{declared}", 1)
    with open(config, "w") as f:
        f.write(text)
    content = os.path.join(out, "content")
    for folder, _, names in sorted(os.walk(content)):
        for name in sorted(names):
            if not name.endswith(".md"):
                continue
            with open(os.path.join(folder, name)) as f:
                source = f.read()
            _, front, body = source.split("---\n", 2)
            words = [line for line in front.splitlines()
                     if line.split(":")[0] in ("title", "summary", "description")]
            for code in languages:
                lines = [line.replace(": ", f": {code.upper()} ", 1) for line in words]
                with open(os.path.join(folder, name[:-3] + f".{code}.md"), "w") as f:
                    f.write("---\n" + "\n".join(lines) + "\n---\n" + body)


if __name__ == "__main__":
    main()
