#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets, fuzz/seeds/<target>/, from the repository's
fixtures (tests/fixtures/) and a few hand-made variants. Every input is small: libFuzzer grows
its own corpus (fuzz/corpus/, not committed) from these.

    python3 fuzz/make_seeds.py

Fixed zip dates: running it again rewrites identical files."""

import io
import os
import re
import shutil
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
SEEDS = os.path.join(HERE, "seeds")
DATE = (2026, 9, 1, 8, 0, 0)


def read(*path):
    with open(os.path.join(FIXTURES, *path), "rb") as f:
        return f.read()


def write(target, name, data):
    folder = os.path.join(SEEDS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def zip_of(entries, method=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return out.getvalue()


def first_records(xml, count):
    """The file's head and its first `count` requests (one a line), closed."""
    lines = xml.split(b"\n")
    head = [l for l in lines[:4] if not re.match(rb"<(add|modify|delete)Request", l)]
    records = [l for l in lines if re.match(rb"<(add|modify|delete)Request", l)]
    return b"\n".join(head + records[:count] + [b"</ficAlimMENESR>", b""])


# aaf_feed: first byte = index of the file name in the target's NAMES (7 = export.zip).
AAF_NAMES = {
    "Eleve": 0,
    "PersEducNat": 1,
    "PersRelEleve": 2,
    "EtabEducNat": 3,
    "MatiereEducNat": 4,
    "MefEducNat": 5,
}


def aaf_feed():
    sample = os.path.join(FIXTURES, "aaf", "sample")
    trimmed = {}
    for name in sorted(os.listdir(sample)):
        kind = name.split("_")[3]
        xml = first_records(read("aaf", "sample", name), 4)
        trimmed[name] = xml
        write("aaf_feed", name, bytes([AAF_NAMES[kind]]) + xml)
    for name in sorted(os.listdir(os.path.join(FIXTURES, "aaf", "bad"))):
        if name.endswith(".xml"):
            write("aaf_feed", "bad-" + name, bytes([6]) + read("aaf", "bad", name))
    # ISO-8859-15, as some académies export: accents and the euro sign in one byte.
    latin9 = trimmed["ENT2D_Complet_20260901_PersEducNat_0000.xml"]
    latin9 = latin9.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-15"')
    latin9 = latin9.decode("utf-8").replace("MARTIN", "MÉRIGNAC").encode("iso-8859-15")
    write("aaf_feed", "latin9-PersEducNat.xml", bytes([1]) + latin9)
    # A zip of an export, and one inside a folder.
    export = zip_of(sorted(trimmed.items())[:3])
    write("aaf_feed", "export.zip", bytes([7]) + export)
    nested = zip_of([("export/" + n, x) for n, x in sorted(trimmed.items())[3:5]], zipfile.ZIP_STORED)
    write("aaf_feed", "export-stored.zip", bytes([6]) + nested)


def package_zip():
    packages = os.path.join(FIXTURES, "packages")
    for name in sorted(os.listdir(packages)):
        if name.endswith(".zip"):
            write("package_zip", name, read("packages", name))
    page = b"<!DOCTYPE html><html><head><title>Volcans</title></head><body><h1>Les volcans</h1></body></html>"
    # SCORM 2004 with xml:base and its metadata in a file of its own.
    manifest = read_seed_text("scorm2004-manifest.xml")
    write("package_zip", "scorm2004-location.zip", zip_of([
        ("imsmanifest.xml", manifest),
        ("metadata/lom.xml", lom_2004()),
        ("cours/sco/index.html", page),
        ("cours/sco/suite.html", page),
    ]))
    # A plain site whose start page is not index.html, with a folder entry.
    write("package_zip", "html-accueil.zip", zip_of([
        ("site/", b""),
        ("site/accueil.htm", page),
        ("site/img/logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ], zipfile.ZIP_STORED))
    # Headers that lie: a deflated page whose declared size is smaller than its content.
    lying = bytearray(zip_of([("index.html", page * 20)]))
    central = lying.rfind(b"PK\x01\x02")
    lying[central + 24:central + 28] = (10).to_bytes(4, "little")
    write("package_zip", "lying-size.zip", bytes(lying))


def lom_2004():
    return """<?xml version="1.0" encoding="UTF-8"?>
<lom xmlns="http://ltsc.ieee.org/xsd/LOM" xmlns:lomfr="http://www.lom-fr.fr/xsd/LOMFR">
  <general>
    <title><string language="en">Volcanoes</string><string language="fr-FR">Les   volcans
      d’Auvergne</string></title>
    <description><string language="fr">Une sortie  virtuelle &amp; un quiz.</string></description>
    <keyword><string language="fr">volcan</string></keyword>
    <keyword><string>géologie</string></keyword>
  </general>
  <classification>
    <purpose><source>LOMv1.0</source><value>educational level</value></purpose>
    <taxonPath>
      <source><string language="x-none">scolomfr-voc-022</string></source>
      <taxon><id>http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-022-num-027</id><entry><string language="fr">5e</string></entry></taxon>
      <taxon><id>scolomfr-voc-022-num-027</id></taxon>
    </taxonPath>
  </classification>
  <classification>
    <taxonPath><source><string>scolomfr-voc-015</string></source>
      <taxon><id>num-951</id></taxon><taxon><id>autre-id</id></taxon>
    </taxonPath>
  </classification>
</lom>
""".encode("utf-8")


def read_seed_text(name):
    if name == "scorm2004-manifest.xml":
        return b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="volcans" xml:base="cours/"
    xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
    <adlcp:location>metadata/lom.xml</adlcp:location>
  </metadata>
  <organizations default="ORG">
    <organization identifier="AUTRE"><title>Autre</title></organization>
    <organization identifier="ORG">
      <title>  Les   volcans </title>
      <item identifier="I1"><title>Partie</title>
        <item identifier="I2" identifierref="SCO"><title>Le cours</title></item>
      </item>
    </organization>
  </organizations>
  <resources xml:base="sco">
    <resource identifier="ASSET" type="webcontent" adlcp:scormType="asset" href="http://example.org/x.html"/>
    <resource identifier="SCO" type="webcontent" adlcp:scormType="sco" href="index.html?page=1#debut">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"""
    raise KeyError(name)


def lom_manifest():
    scorm12 = zipfile.ZipFile(os.path.join(FIXTURES, "packages", "scorm12-fractions.zip"))
    write("lom_manifest", "scorm12-imsmanifest.xml", scorm12.read("imsmanifest.xml"))
    write("lom_manifest", "scorm2004-imsmanifest.xml", read_seed_text("scorm2004-manifest.xml"))
    write("lom_manifest", "lom2004-metadata.xml", lom_2004())
    write("lom_manifest", "imscp-minimal.xml", b"""<?xml version="1.0"?>
<manifest identifier="m"><metadata><schema>IMS Content</schema><schemaversion>1.1.4</schemaversion>
<lom><general><title>Titre sans langstring</title></general></lom></metadata>
<organizations/><resources><resource identifier="r" href="exercice.html"/></resources></manifest>
""")
    write("lom_manifest", "lom12-latin1.xml", """<?xml version="1.0" encoding="ISO-8859-1"?>
<lom xmlns="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"><general>
<title><langstring xml:lang="fr">Électricité</langstring></title>
<keyword><langstring xml:lang="de">Strom</langstring><langstring>courant</langstring></keyword>
</general><classification><taxonpath><taxon><id>scolomfr-voc-015-num-1084</id>
<taxon><id>scolomfr-voc-015-num-1085</id></taxon></taxon></taxonpath></classification></lom>
""".encode("iso-8859-1"))


def import_csv():
    csv = read("import", "collection", "ressources.csv")
    write("import_csv", "ressources.csv", csv)
    write("import_csv", "collection.zip", read("import", "collection.zip"))
    text = csv.decode("utf-8-sig")
    crlf = "\r\n".join(text.splitlines()) + "\r\n"
    write("import_csv", "ressources-windows-1252.csv", crlf.encode("cp1252"))
    header, *lines = text.splitlines()
    write("import_csv", "ressources-virgules.csv", (",".join(
        '"' + cell + '"' if "," in cell else cell for cell in header.split(";")) + "\n"
        + '"cours/fractions.pdf","Les fractions","Sur deux\nlignes, avec ""guillemets""",,"Mathématiques",'
          '"4e","num-951","a,b",,,"4B"\n').encode("utf-8"))
    write("import_csv", "ressources-variantes.csv", (
        "Fichier;Titre;Type;Niveaux;Thèmes;Mots clés;Lien;Classes;\n"
        "cours\\Fiche élève.txt;;document;Cycle 4,5ème;;;;groupe:LATIN;\n"
        "activite.zip;Activité;paquet;;;;;4B,4A\n"
        "cours/vide.txt;Vide;;;;;;\n"
        "../secret.txt;Dehors;;;;;;\n"
        ";Lien;lien;;;;https://example.org/a?b=c;,\n"
        "images/REPERE.PNG;;image;;;;;\n").encode("utf-8"))
    write("import_csv", "en-tetes-inconnus.csv", b"fichier;fichier;couleur\nx;y;z\n")


CSRF_BOUNDARY = b"----WebKitFormBoundary7MA4YWxkTrZu0gW"


def csrf_input(boundary, body, largest=63, seed=7):
    """The target's layout: boundary length, boundary, largest chunk, seed, body."""
    assert 1 <= len(boundary) <= 70
    return bytes([len(boundary) - 1]) + boundary + bytes([largest, seed]) + body


def multipart(boundary, parts, preamble=b"", close=True):
    out = preamble
    for headers, content in parts:
        out += b"--" + boundary + b"\r\n" + headers + b"\r\n\r\n" + content + b"\r\n"
    if close:
        out += b"--" + boundary + b"--\r\n"
    return out


def field(name):
    return b'Content-Disposition: form-data; name="' + name + b'"'


def csrf_scan():
    b = CSRF_BOUNDARY
    token = b"k3yZ_0123456789abcdefghijklmnopqrstuvwxyzAB"
    file_part = (field(b"fichier") + b'; filename="cours.pdf"\r\nContent-Type: application/pdf', b"%PDF-1.4 ...")
    write("csrf_scan", "token-first", csrf_input(b, multipart(b, [(field(b"csrf"), token), file_part])))
    write("csrf_scan", "fields-then-token", csrf_input(b, multipart(b, [
        (field(b"titre"), "Les volcans d’Auvergne".encode()),
        (b'content-disposition: form-data; name=csrf; filename="x"', b"pas-un-jeton"),
        (b"Content-Type: text/plain\r\n" + field(b"csrf"), token), file_part]), 5, 3))
    write("csrf_scan", "no-token", csrf_input(b"AaB03x", multipart(b"AaB03x", [(field(b"titre"), b"x")]), 0, 1))
    write("csrf_scan", "preamble-padding", csrf_input(b"x", b"preamble\r\n--x \t\r\n" + field(b"csrf") + b"\r\n\r\njeton\r\n--x--", 2, 9))
    write("csrf_scan", "truncated", csrf_input(b, multipart(b, [(field(b"csrf"), token)], close=False)[:-20], 17, 200))
    write("csrf_scan", "too-long", csrf_input(b"b", multipart(b"b", [(field(b"csrf"), b"t" * 300)]), 255, 42))
    write("csrf_scan", "file-before-token", csrf_input(b"f", multipart(b"f", [
        (field(b"fichier") + b'; filename="a.bin"', b"x" * (64 * 1024)), (field(b"csrf"), token)]), 255, 5))


if __name__ == "__main__":
    shutil.rmtree(SEEDS, ignore_errors=True)
    aaf_feed()
    package_zip()
    lom_manifest()
    import_csv()
    csrf_scan()
