#!/usr/bin/env python3
"""Generate a synthetic Almanac collection for benchmarks.

    python3 bench/generate.py 10000 target/bench/collection-10000

Writes almanac.yaml and content/ with N resources spread over nested sections,
four taxonomies (two controlled, one single-term, one open), a glossary of 200
terms, internal links, related entries and Markdown bodies of about 200 words.
The output depends only on N (a fixed seed), so runs are comparable.
"""

import os
import random
import shutil
import sys

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


def sentence(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng, sentences):
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(20261127 + n)
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
    for i in range(200):
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        slug = f"{a}-{b}-{i}"
        terms.append(slug)
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
        body = (
            f"{paragraph(rng, 4)}\n\n## How to use it\n\n{paragraph(rng, 3)} "
            f"See also [a related entry](@/{link}).\n\n"
            f"- {sentence(rng, 8)}\n- {sentence(rng, 8)}\n- {sentence(rng, 8)}\n\n"
            f"## Background\n\n{paragraph(rng, 3)}\n"
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


if __name__ == "__main__":
    main()
