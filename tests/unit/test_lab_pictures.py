#!/usr/bin/env python3
"""The pictures tern-lab draws are well-formed XML and show what they should.

`tern-lab draw` of every lab in labs/ (no root: it only reads files), and `tern-lab ladder
--json` of fixtures/session_log.json (R2's real log of its EBGP session with R3) as SVG and
HTML, each parsed by Python's XML parser; then the seed's picture is checked for the seed's
six nodes, five links, two ASes, three BGP sessions and its protocol labels, and the ladder
for its arrows. Run by meson (suite unit) with TERN_LAB, LABS and LADDER_FIXTURES set.
"""
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"
TERN_LAB = os.environ.get("TERN_LAB", "build/tern-lab")
LABS = pathlib.Path(os.environ.get("LABS", "labs"))
FIXTURES = pathlib.Path(os.environ.get("LADDER_FIXTURES", "tests/unit/fixtures"))


def run(*args):
    return subprocess.run([TERN_LAB, *args], capture_output=True, text=True, check=True, timeout=30).stdout


def groups(root, cls):
    return [g for g in root.iter(SVG + "g") if cls in g.get("class", "").split()]


def texts(element):
    return [t.text or "" for t in element.iter(SVG + "text")]


class Draw(unittest.TestCase):
    def test_every_lab_draws_well_formed(self):
        labs = sorted(p.parent for p in LABS.glob("*/topology.yml"))
        self.assertTrue(labs)
        for lab in labs:
            with self.subTest(lab=lab.name):
                root = ET.fromstring(run("draw", str(lab)))
                self.assertEqual(root.tag, SVG + "svg")
                self.assertTrue(groups(root, "node"))

    def test_seed_as_the_note_draws_it(self):
        with tempfile.TemporaryDirectory() as d:
            out = pathlib.Path(d) / "seed.svg"
            run("draw", str(LABS / "seed"), "--svg", str(out))
            root = ET.parse(out).getroot()
        nodes = {g.get("data-node"): g for g in groups(root, "node")}
        self.assertEqual(sorted(nodes), ["PC1", "PC2", "R1", "R2", "R3", "R4"])
        self.assertEqual(len(groups(root, "router")), 4)
        links = groups(root, "link")
        self.assertEqual(len(links), 5)
        self.assertEqual(links[1].get("data-a"), "R1:FastEthernet0/0")
        self.assertEqual(links[1].get("data-b"), "R2:FastEthernet1/0")
        # interface names and addresses at the ends, the protocols under each link
        self.assertEqual(texts(links[1])[:4], ["f0/0", "192.168.1.2/24", "f1/0", "192.168.1.1/24"])
        labels = [t for link in links for t in texts(link)]
        for protocol in ("OSPF 100", "EBGP", "RIP"):
            self.assertIn(protocol, labels)
        self.assertEqual([t for g in groups(root, "as") for t in texts(g)], ["AS 100", "AS 200"])
        sessions = [(g.get("data-a"), g.get("data-b"), g.get("data-a-peer"), g.get("data-b-peer"))
                    for g in groups(root, "session")]
        self.assertEqual(sessions, [("R1", "R2", "1.1.1.1", "2.2.2.2"),
                                    ("R2", "R3", "192.168.2.2", "192.168.2.1"),
                                    ("R3", "R4", "4.4.4.4", "3.3.3.3")])
        # the seed's order, left to right: PC2 R1 R2 R3 R4 PC1, on one row
        circles = {n: (g.find(SVG + "circle") if g.find(SVG + "circle") is not None else g.find(SVG + "rect"))
                   for n, g in nodes.items()}
        xs = {n: float(c.get("cx") or c.get("x")) for n, c in circles.items()}
        self.assertEqual(sorted(xs, key=xs.get), ["PC2", "R1", "R2", "R3", "R4", "PC1"])

    def test_draw_is_deterministic(self):
        self.assertEqual(run("draw", str(LABS / "seed")), run("draw", str(LABS / "seed")))


class Ladder(unittest.TestCase):
    log = str(FIXTURES / "session_log.json")

    def test_svg(self):
        root = ET.fromstring(run("ladder", "R2", "R3", "--json", self.log, "--svg", "-"))
        arrows = groups(root, "arrow")
        labels = [texts(g)[1] for g in arrows]
        for message in ("TCP connect", "OPEN", "KEEPALIVE", "UPDATE", "NOTIFICATION 6/4", "ROUTE-REFRESH"):
            self.assertIn(message, labels)
        first_open = arrows[labels.index("OPEN")]
        self.assertIn("My AS 100, Hold Time 180, BGP Identifier 1.1.1.1", texts(first_open))
        # one line and one arrow head per message
        for g in arrows:
            self.assertEqual(len(g.findall(SVG + "line")), 1)
            self.assertEqual(len(g.findall(SVG + "polygon")), 1)
        self.assertIn("R2", texts(root)[:2])

    def test_html_is_standalone(self):
        with tempfile.TemporaryDirectory() as d:
            out = pathlib.Path(d) / "ladder.html"
            run("ladder", "R2", "R3", "--json", self.log, "--html", str(out))
            text = out.read_text()
            root = ET.fromstring(text.split("\n", 1)[1])  # after <!DOCTYPE html>
        self.assertEqual(root.tag, XHTML + "html")
        self.assertEqual(len(list(root.iter(SVG + "svg"))), 1)
        # nothing from outside the file: no scripts, links, images or URLs to fetch
        for tag in ("script", "link", "img", "iframe"):
            self.assertEqual(list(root.iter(XHTML + tag)), [])
        self.assertNotIn("http:", text.replace("http://www.w3.org/", ""))
        self.assertNotIn("https:", text)

    def test_text(self):
        out = run("ladder", "R2", "R3", "--json", self.log)
        self.assertIn("|-- OPEN ---", out)
        self.assertIn("|<------------------------------- OPEN --|  My AS 200, Hold Time 180, BGP Identifier 3.3.3.3", out)

    def test_not_a_log(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            f.write('{"state": 1}')
            f.flush()
            r = subprocess.run([TERN_LAB, "ladder", "R2", "R3", "--json", f.name], capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("messages", r.stderr)


if __name__ == "__main__":
    sys.exit(unittest.main())
