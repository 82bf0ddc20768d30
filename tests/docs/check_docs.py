#!/usr/bin/env python3
"""Checks that the documentation in the repository matches the code.

Usage: check_docs.py [REPO_ROOT]   (default: two folders above this file)

1. Every `docs/NAME.md` that source, tests, scripts, bench, README.md or
   docs/ mention exists; where a mention names a section in quotes
   (docs/api.md, "Errors"), that file has such a heading. Every relative
   markdown link in README.md and docs/*.md resolves to a file.
2. Every route src/http/api_routes.cpp adds (method and path) appears in a
   heading of docs/api.md.
3. Every error code src/api/error_response.cpp defines has a row in the table of
   docs/api.md's "Errors" section, with its HTTP status.
4. Every TOML key the serve config reader (src/cli/serve_config.cpp) accepts,
   every environment variable it reads and every flag of `apiota serve`
   (src/cli/serve_command.cpp) appears in docs/configuration.md: top-level
   keys as `key`, keys of a table as `table.key`.
5. Every source path docs/architecture.md names (`layer/file.h`, with or
   without `src/`, or `tests/...`) exists, and every folder under src/ has a
   row in its table of layers, so the picture follows the code.

Prints one line per problem and exits 1 when there is any, 0 otherwise.
Plain python3, no packages beyond the standard library.
"""

import os
import re
import sys

MENTION_ROOTS = ["src", "tests", "scripts", "bench", "docs", "README.md"]
TEXT_SUFFIXES = (".cpp", ".h", ".hpp", ".py", ".sh", ".md", ".txt", ".lua", ".cmake", ".toml", ".json")
DOC_MENTION = re.compile(r"docs/[A-Za-z0-9_.-]+\.md")
# docs/x.md, "Section"  or  [docs/x.md](docs/x.md), "Section"
SECTION_MENTION = re.compile(r"(docs/[A-Za-z0-9_.-]+\.md)(?:\]\([^)\s]*\))?,\s+\"([^\"]+)\"")
MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*$")
# A paragraph that opens with a bold label ("**File modes.** ...") is a
# section a mention may name too.
BOLD_LABEL = re.compile(r"^\*\*([^*]+?)\.?\*\*")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def strip_comment_markers(text):
    """Joins `//` comment lines so a mention split over two lines still reads."""
    return re.sub(r"\n[ \t]*(//+|#+(?!#)|\*)[ \t]*", "\n", text)


def text_files(root):
    for name in MENTION_ROOTS:
        path = os.path.join(root, name)
        if os.path.isfile(path):
            yield path
            continue
        for folder, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if d not in ("corpus", "__pycache__")]
            for f in files:
                if f.endswith(TEXT_SUFFIXES) or f == "CMakeLists.txt":
                    yield os.path.join(folder, f)


def headings(markdown):
    """The headings of a markdown text, outside fenced code blocks."""
    out = []
    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        m = None if fenced else HEADING.match(line)
        if m:
            out.append(m.group(1))
    return out


def section_titles(markdown):
    """Headings and bold paragraph labels: what a quoted section name may name."""
    titles = {plain_heading(h) for h in headings(markdown)}
    titles |= {m.group(1).strip() for m in map(BOLD_LABEL.match, markdown.splitlines()) if m}
    return titles


def plain_heading(text):
    return re.sub(r"[`*_]", "", text).strip()


def check_doc_mentions(root):
    problems = []
    doc_headings = {}
    for path in text_files(root):
        rel = os.path.relpath(path, root)
        if os.path.abspath(path) == os.path.abspath(__file__):
            continue  # its own docstring shows the patterns
        try:
            text = read(path)
        except UnicodeDecodeError:
            continue
        for mention in sorted(set(DOC_MENTION.findall(text))):
            if not os.path.isfile(os.path.join(root, mention)):
                problems.append(f"{rel}: mentions {mention}, which does not exist")
        for doc, quoted in set(SECTION_MENTION.findall(strip_comment_markers(text))):
            section = " ".join(quoted.split())
            target = os.path.join(root, doc)
            if not os.path.isfile(target):
                continue
            if doc not in doc_headings:
                doc_headings[doc] = section_titles(read(target))
            if section not in doc_headings[doc]:
                problems.append(f"{rel}: mentions section \"{section}\" of {doc}, which has no such heading")
    return problems


def check_markdown_links(root):
    problems = []
    docs_dir = os.path.join(root, "docs")
    pages = [os.path.join(root, "README.md")]
    pages += sorted(os.path.join(docs_dir, f) for f in os.listdir(docs_dir) if f.endswith(".md"))
    for page in pages:
        rel = os.path.relpath(page, root)
        for target in MARKDOWN_LINK.findall(read(page)):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue  # absolute URL or an anchor in the same page
            path = target.split("#", 1)[0]
            resolved = os.path.normpath(os.path.join(os.path.dirname(page), path))
            if not os.path.exists(resolved):
                problems.append(f"{rel}: link to {target} does not resolve")
            elif not resolved.startswith(os.path.normpath(root) + os.sep):
                problems.append(f"{rel}: link to {target} leaves the repository")
    return problems


def check_routes(root, api_doc):
    routes = re.findall(r'r\.add\("([A-Z]+)",\s*"([^"]+)"', read(os.path.join(root, "src/http/api_routes.cpp")))
    if not routes:
        return ["src/http/api_routes.cpp: no routes found (has the router's form changed?)"]
    if api_doc is None:
        return ["docs/api.md does not exist: it must document every route of src/http/api_routes.cpp"]
    titles = [plain_heading(h) for h in headings(api_doc)]
    return [
        f"docs/api.md: no heading documents {method} {path}"
        for method, path in routes
        if not any(f"{method} {path}" in title for title in titles)
    ]


def section(markdown, title):
    """The lines of the `## title` section (up to the next heading of level 1 or 2)."""
    lines = markdown.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^##\s+" + re.escape(title) + r"\s*$", line):
            end = next((j for j in range(i + 1, len(lines)) if re.match(r"^#{1,2}\s", lines[j])), len(lines))
            return lines[i + 1:end]
    return None


def check_errors(root, api_doc):
    codes = re.findall(r'return \{"([A-Z_]+)", (\d+)\}', read(os.path.join(root, "src/api/error_response.cpp")))
    if not codes:
        return ["src/api/error_response.cpp: no error codes found (has describe() changed form?)"]
    if api_doc is None:
        return ["docs/api.md does not exist: its Errors section must list every error code"]
    lines = section(api_doc, "Errors")
    if lines is None:
        return ["docs/api.md: no \"## Errors\" section"]
    rows = {}
    for line in lines:
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        m = re.fullmatch(r"`([A-Z_]+)`", cells[0])
        if m:
            rows[m.group(1)] = cells[1:]
    problems = []
    for code, status in sorted(set(codes)):
        if code not in rows:
            problems.append(f"docs/api.md: the Errors table has no row for {code}")
        elif status not in rows[code]:
            problems.append(f"docs/api.md: the Errors row of {code} does not give its HTTP status {status}")
    return problems


def config_names(root):
    """(TOML keys, environment variables, flags) that `apiota serve` accepts."""
    reader = read(os.path.join(root, "src/cli/serve_config.cpp"))
    keys = set(re.findall(r'pick\([^;]*?file,\s*"([a-z_]+)"\)', reader))
    keys |= set(re.findall(r'file\["([a-z_]+)"\]\.value', reader))
    keys |= set(re.findall(r'read_number\(file,\s*nullptr,\s*"([a-z_]+)"', reader))
    for table, key in re.findall(r'read_number\(file,\s*"([a-z_]+)",\s*"([a-z_]+)"', reader):
        keys.add(f"{table}.{key}")
    seconds = re.search(r"void read_seconds\([^{]*\{(.*?)\n\}", reader, re.S)
    seconds_table = re.search(r'read_number\(file,\s*"([a-z_]+)",\s*key', seconds.group(1)) if seconds else None
    if not seconds_table:
        raise ValueError("src/cli/serve_config.cpp: cannot tell which table read_seconds() reads")
    for key in re.findall(r'read_seconds\(file,\s*"([a-z_]+)"', reader):
        keys.add(f"{seconds_table.group(1)}.{key}")
    envs = set(re.findall(r'"(APIOTA_[A-Z_]+)"', reader))
    command = read(os.path.join(root, "src/cli/serve_command.cpp"))
    serve = command[command.index("add_serve_command"):]
    flags = set(re.findall(r'add_(?:option|flag)\("(--[a-z-]+)"', serve))
    return keys, envs, flags


def check_configuration(root):
    path = os.path.join(root, "docs/configuration.md")
    try:
        keys, envs, flags = config_names(root)
    except ValueError as e:
        return [str(e)]
    if not keys:
        return ["src/cli/serve_config.cpp: no config keys found (has the reader changed form?)"]
    if not os.path.isfile(path):
        return ["docs/configuration.md does not exist: it must document every setting of apiota serve"]
    doc = read(path)
    problems = [f"docs/configuration.md: the config key {k} is not documented (as `{k}`)"
                for k in sorted(keys) if f"`{k}`" not in doc]
    problems += [f"docs/configuration.md: the environment variable {e} is not documented"
                 for e in sorted(envs) if f"`{e}`" not in doc]
    problems += [f"docs/configuration.md: the flag {f} of apiota serve is not documented"
                 for f in sorted(flags) if f"`{f}" not in doc]
    return problems


SOURCE_PATH = re.compile(r"(?<![\w/.-])((?:src/|tests/)?[a-z_]+(?:/[a-z_]+)*/[a-z_]+\.(?:h|cpp))\b")
LAYER_ROW = re.compile(r"^\| `([a-z_/]+)/` \|", re.M)


def check_architecture(root):
    path = os.path.join(root, "docs/architecture.md")
    if not os.path.isfile(path):
        return ["docs/architecture.md is missing"]
    text = read(path)
    problems = []
    for name in sorted(set(SOURCE_PATH.findall(text))):
        candidates = [name] if name.startswith(("src/", "tests/")) else [os.path.join("src", name)]
        if not any(os.path.isfile(os.path.join(root, c)) for c in candidates):
            problems.append(f"docs/architecture.md: {name} does not exist")
    rows = set(LAYER_ROW.findall(text))
    for folder in sorted(os.listdir(os.path.join(root, "src"))):
        if os.path.isdir(os.path.join(root, "src", folder)) and folder not in rows:
            problems.append(f"docs/architecture.md: src/{folder}/ has no row in the table of layers")
    return problems


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../.."))
    api_path = os.path.join(root, "docs/api.md")
    api_doc = read(api_path) if os.path.isfile(api_path) else None
    problems = check_doc_mentions(root)
    problems += check_markdown_links(root)
    problems += check_routes(root, api_doc)
    problems += check_errors(root, api_doc)
    problems += check_configuration(root)
    problems += check_architecture(root)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} documentation problem(s)")
        return 1
    print("documentation matches the code")
    return 0


if __name__ == "__main__":
    sys.exit(main())
