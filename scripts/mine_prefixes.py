"""Mine part-number prefix rules for the manufacturer registry from the KiCad symbol libraries.

Source: the KiCad symbol libraries as packaged by Debian (`apt-get install kicad-symbols`,
version 6.0.10, files /usr/share/kicad/symbols/*.kicad_sym; upstream tag 6.0.10 of
https://gitlab.com/kicad/libraries/kicad-symbols). Every symbol has a name (a part number or a
family pattern such as STM32F103C8Tx) and a Datasheet URL; the URL's host names the maker when it
is the maker's own site (ti.com, st.com, ...). Hosts of distributors and datasheet aggregators
name nobody and those symbols are ignored. A symbol without a datasheet link in a library named
after one maker (FPGA_Xilinx_Virtex5, MCU_Intel, ...) is that maker's.

A prefix (two or more letters, optionally followed by the first one or two digits, or by one digit
and a family letter as in XC5V) is kept for a
company family (a maker and the companies that took it over, `Registry.current_owner`) only when:
  - at least 3 distinct parts of the family carry it, each linked to a maker-hosted datasheet
    (which lists them); a prefix of 3 characters or fewer needs 5 parts in at least 2 library
    files;
  - at least 95 % of all mined parts with that prefix whose maker is known belong to the family
    (100 % for 3 characters or fewer), and no other family's shorter registry prefix is refined
    by a prefix of 3 characters or fewer;
  - no other family's registry prefix equals it or starts with it (that would be a collision);
  - it is not a generic, second-sourced or standard number (see GENERIC_ROOTS).
Only parts the registry cannot yet name (no prefix of their family matches) are evidence. Per part
the shortest passing prefix wins; a prefix covered by a shorter one of the family is dropped.

    .venv/bin/python scripts/mine_prefixes.py            # writes docs/mined-prefixes.tsv
    .venv/bin/python scripts/mine_prefixes.py --apply    # also adds new prefixes to the YAML

--apply edits the records in place (one `prefixes:` line and appended source entries with a
comment naming example parts per prefix); it never removes anything and is idempotent.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from armtrace.errors import NotFound
from armtrace.refdata import load_registry
from armtrace.refdata.manufacturers import Registry, bundled_paths

KICAD_DIR = Path("/usr/share/kicad/symbols")
KICAD_TAG = "6.0.10"
KICAD_URL = "https://gitlab.com/kicad/libraries/kicad-symbols/-/blob/{tag}/{file}"
ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "docs" / "mined-prefixes.tsv"

# Maker-authored documents that state a family's part-number scheme (found with a search of
# maker documentation; each lists the devices given here). Each prefix is checked like a mined
# one (generic roots, registry collisions, purity against the KiCad parts) and rests on its
# document alone, as a maker's ordering information states the scheme.
INTEL_FPGA = "https://www.intel.com/content/www/us/en/docs/programmable"
XILINX_PKGS = "https://xilinx.com/support/package-pinout-files"
MAKER_DOCUMENTS: list[tuple[str, tuple[str, ...], dict[str, tuple[str, ...]]]] = [
    ("altera", (f"{INTEL_FPGA}/683658/current/device-maximum-resources.html",), {
        # MAX 10 FPGAs: device names are the start of every ordering code (10M08SAE144C8G)
        "10M02": ("10M02",), "10M04": ("10M04",), "10M08": ("10M08",), "10M16": ("10M16",),
        "10M25": ("10M25",), "10M40": ("10M40",), "10M50": ("10M50",),
    }),
    ("altera", (f"{INTEL_FPGA}/683121/current/package-options-and-maximum-user-i-os-69332.html",), {
        # MAX V CPLDs (5M570ZT100C5N)
        "5M40Z": ("5M40Z",), "5M80Z": ("5M80Z",), "5M160Z": ("5M160Z",), "5M240Z": ("5M240Z",),
        "5M570Z": ("5M570Z",), "5M1270Z": ("5M1270Z",),
    }),
    ("altera", (f"{INTEL_FPGA}/683121/current/package-options-and-maximum-user-i-os-86149.html",), {
        # Cyclone V E, GX and GT product lines (ordering codes 5CEBA4F23C7N, 5CGXFC5C6F27C7N)
        "5CE": ("5CEA2", "5CEA4", "5CEA5", "5CEA7", "5CEA9"),
        "5CG": ("5CGXC3", "5CGXC4", "5CGXC5", "5CGXC7", "5CGXC9", "5CGTD5", "5CGTD7", "5CGTD9"),
    }),
    ("altera", (f"{INTEL_FPGA}/683121/current/package-options-and-maximum-user-i-os-62802.html",), {
        # Cyclone 10 LP (10CL025YU256C8G)
        "10CL": ("10CL006", "10CL010", "10CL016", "10CL025", "10CL040", "10CL055", "10CL080"),
    }),
    ("xilinx", (f"{XILINX_PKGS}/ultrascale-pkgs.html",), {
        # Kintex and Virtex UltraScale devices
        "XCKU": ("XCKU025", "XCKU035", "XCKU040", "XCKU060", "XCKU085"),
        "XCVU": ("XCVU065", "XCVU080", "XCVU095"),
    }),
    ("xilinx", (
        "https://docs.amd.com/r/2023.2-English/ug909-vivado-partial-reconfiguration/Supported-Devices",
        # states the scheme: "the device type starts with an XQ vs. XC or XA"
        "https://docs.amd.com/r/en-US/am013-versal-pkg-pinout/ASCII-Pinout-Files",
    ), {
        # Artix UltraScale+, and the automotive (A) and defense-grade (Q) variants of 7-series
        # devices listed there (XA7Z020, XQ7Z020)
        "XCAU": ("XCAU7P", "XCAU10P", "XCAU15P", "XCAU20P", "XCAU25P"),
        "XA7": ("XA7A15T", "XA7A35T", "XA7A50T", "XA7A75T", "XA7A100T", "XA7K160T", "XA7Z010",
                "XA7Z020", "XA7Z030"),
        "XQ7": ("XQ7A50T", "XQ7A100T", "XQ7A200T", "XQ7K325T", "XQ7K410T", "XQ7Z020", "XQ7Z030",
                "XQ7Z045", "XQ7Z100"),
    }),
]  # fmt: skip

# Datasheet host (suffix match) -> registry id of the company that hosts its own datasheets.
# Only makers' own sites; a host that also serves other makers' documents is left out.
HOST_MAKERS = {
    "ti.com": "texas-instruments", "ti.com.cn": "texas-instruments",
    "national.com": "national-semiconductor",
    "microchip.com": "microchip", "atmel.com": "atmel", "microsemi.com": "microsemi",
    "supertex.com": "supertex",
    "st.com": "stmicroelectronics",
    "analog.com": "analog-devices", "linear.com": "linear-technology",
    "maximintegrated.com": "maxim",
    "onsemi.com": "onsemi", "onsemi.cn": "onsemi", "fairchildsemi.com": "fairchild",
    "vishay.com": "vishay",
    "infineon.com": "infineon", "irf.com": "international-rectifier", "cypress.com": "cypress",
    "nxp.com": "nxp", "freescale.com": "freescale",
    "nexperia.com": "nexperia",
    "minicircuits.com": "mini-circuits",
    "diodes.com": "diodes",
    "allegromicro.com": "allegro-microsystems",
    "powerint.com": "power-integrations", "power.com": "power-integrations",
    "silabs.com": "silicon-labs",
    "murata.com": "murata",
    "recom-power.com": "recom",
    "tracopower.com": "traco-power",
    "wolfspeed.com": "wolfspeed", "cree.com": "wolfspeed",
    "toshiba.semicon-storage.com": "toshiba",
    "broadcom.com": "broadcom", "avagotech.com": "broadcom",
    "kemet.com": "kemet",
    "intersil.com": "intersil", "renesas.com": "renesas", "idt.com": "idt",
    "meanwell.com": "mean-well", "meanwellusa.com": "mean-well",
    "akm.com": "asahi-kasei-microdevices",
    "te.com": "te-connectivity",
    "kingbright.com": "kingbright", "kingbrightusa.com": "kingbright",
    "rohm.com": "rohm", "rohm.de": "rohm",
    "osram-os.com": "ams-osram", "osram.info": "ams-osram", "ams.com": "ams-osram",
    "issi.com": "issi",
    "latticesemi.com": "lattice",
    "liteon.com": "lite-on",
    "omron.com": "omron",
    "littelfuse.com": "littelfuse",
    "epson.biz": "epson",
    "ftdichip.com": "ftdi",
    "panasonic.com": "panasonic", "panasonic.eu": "panasonic",
    "u-blox.com": "u-blox",
    "altera.com": "altera", "xilinx.com": "xilinx", "intel.com": "intel",
    "macom.com": "macom", "skyworksinc.com": "skyworks",
    "winbond.com": "winbond", "sharp-world.com": "sharp", "sensirion.com": "sensirion",
    "trinamic.com": "trinamic", "fujitsu.com": "fujitsu", "espressif.com": "espressif",
    "cirrus.com": "cirrus-logic", "njr.com": "new-japan-radio",
    "monolithicpower.com": "monolithic-power-systems", "micron.com": "micron",
    "exar.com": "exar", "everlight.com": "everlight", "bourns.com": "bourns",
    "richtek.com": "richtek", "nordicsemi.com": "nordic-semiconductor",
    "hamamatsu.com": "hamamatsu", "adestotech.com": "adesto", "honeywell.com": "honeywell",
    "raspberrypi.org": "raspberry-pi", "macronix.com": "macronix", "ixysic.com": "ixys",
    "ixys.com": "ixys", "coilcraft.com": "coilcraft", "aosmd.com": "alpha-and-omega",
    "semtech.com": "semtech", "quectel.com": "quectel", "holtek.com": "holtek",
    "bosch.com": "bosch", "kionix.com": "kionix", "torexsemi.com": "torex",
    "invensense.com": "tdk-invensense", "xppower.com": "xp-power", "cdil.com": "cdil",
    "centralsemi.com": "central-semiconductor", "abracon.com": "abracon",
    "sanken-ele.co.jp": "sanken", "susumu.co.jp": "susumu", "hoperf.com": "hoperf",
    "thatcorp.com": "that-corporation", "golledge.com": "golledge",
    "comchiptech.com": "comchip", "mccsemi.com": "micro-commercial-components",
    "rectron.com": "rectron", "johansontechnology.com": "johanson",
    "we-online.de": "wurth-elektronik", "we-online.com": "wurth-elektronik",
    "alliancememory.com": "alliance-memory", "lem.com": "lem", "diotec.com": "diotec",
    "schaffner.com": "schaffner", "vigortronix.com": "vigortronix",
    "advanced-monolithic.com": "advanced-monolithic", "artesyn.com": "artesyn",
    "pulseeng.com": "pulse-electronics", "cui.com": "cui", "simcom.ee": "simcom",
    "anaren.com": "anaren", "kyocera.com": "kyocera", "nidec-copal-electronics.com": "nidec",
    "mono-wireless.com": "mono-wireless", "raytac.com": "raytac", "zlgmcu.com": "zlg",
    "newhavendisplay.com": "newhaven-display", "conwin.com": "connor-winfield",
    "ritrontek.com": "ritron", "dioo.com": "dioo", "apem.com": "apem", "neutrik.com": "neutrik",
}  # fmt: skip

# Generic, standard or widely second-sourced numbering: never a maker's prefix. A candidate is
# rejected when it starts with one of these roots or is itself a start of one.
GENERIC_ROOTS = (
    # logic and CMOS 4000 series, op-amps, regulators, timers and interfaces made by many
    "74", "54", "CD4", "CD74", "CD54", "HEF4", "HCF4", "MC14", "SN74", "SN54", "LM", "LF", "NE5",
    "SE5", "SA5", "UA", "TL0", "TL3", "TL4", "TL5", "TL7", "ULN", "ULQ", "MC3", "MC7", "KA", "L78",
    "L79", "UC2", "UC3", "SG1", "SG2", "SG3", "OP0", "OP1", "OP2", "OP4", "REF0", "ICL7", "CA3",
    "MAX23", "MAX48", "ADM23", "DS26", "DS13", "AM26", "UA7", "RC4", "LT1", "XR2", "TIP", "MJ",
    "MPS", "PN2", "PZT", "MMBT", "MMBD", "MMBZ", "MMSZ", "MBR", "SMBJ", "SMAJ", "SMCJ", "SMF",
    "P6KE", "P4KE", "SS1", "SS2", "SS3", "ES1", "ES2", "US1", "RS1", "GBU", "KBU", "KBP", "DB1",
    "MB1", "MB2", "MB6", "W0", "IRF", "IRL", "IRFZ", "BUZ",
    # Pro Electron, JEDEC and optocoupler standard numbers
    "BA", "BB", "BC", "BD", "BF", "BL", "BS", "BT", "BU", "BY", "BZ", "AA", "AC", "AD1", "AF",
    "CNY", "H11", "MOC", "TCET", "PC81", "EL81", "SFH6",
    # memories with industry-standard numbers
    "24C", "24LC", "24AA", "25C", "25LC", "25AA", "93C", "93LC", "27C", "28C", "29F", "62", "M27C",
    "AT28", "M28",
    # classic processors second-sourced by many
    "Z80", "Z84", "MC68", "MC6", "I8", "P8",
    # more Pro Electron codes (photodiodes, RF transistors, ICs: TDA, SAA, ...), shared by makers
    "BP", "BG", "BR", "BX", "BW", "BV", "TDA", "TBA", "TCA", "TEA", "TFA", "SAA", "SAB", "SAF",
    "SDA", "UAA",
    # second-sourced discretes and ICs: DG411 (Siliconix, Intersil, Maxim), LL4148, MBT3904,
    # MMDT3904, NA555, TC7662 (ICL7662 clone), ADC0804/ADC0808 (National, Intersil, others)
    "DG", "LL4", "MBT", "MMDT", "NA5", "TC76", "ADC0", "MMBF", "UF5", "MBL",
    # voltage references: REF02, REF19x, REF10x are sold by both TI and ADI
    "REF",
)  # fmt: skip

# Prefixes that pass on KiCad data alone but are known to be shared or to be everyday words in
# markings; each is rejected with the reason shown in the table.
KNOWN_CLASHES = {
    "ISO": "word (ISO 9001 on labels)", "TVS": "word (TVS diode)", "BGA": "package name",
    "RPM": "word (motor ratings)", "LED": "word", "CAP": "word",
    "PA": "generic (power amplifier)", "PTN": "NXP PTN3460 interface parts share it",
    "SC1": "Semtech SC1xx parts share it", "TSM": "Taiwan Semiconductor TSM parts share it",
    "TS3": "ST TS3021 comparators share it", "TS5": "ST and Taiwan Semiconductor TS5xx",
    "RT4": "Richtek RT4xxx parts share it", "MG1": "Toshiba MG1xx IGBT modules share it",
    "ADT": "Analog Devices ADT7xxx sensors share it", "DS9": "Maxim DS9xxx 1-Wire parts",
    "CA5": "generic display numbering", "CC5": "generic display numbering",
}  # fmt: skip

# Hosts that serve other makers' documents: their symbols name no maker.
AGGREGATORS = (
    "tme.eu", "mouser", "farnell", "digikey", "datasheetcatalog", "reichelt", "jameco",
    "alldatasheet", "octopart", "chipdb", "digchip", "datasheetspdf", "datasheet.live", "lcsc",
    "arrow.com", "adafruit", "sparkfun", "github", "wikipedia", "archive.org", "icbase",
    "pudn", "breve.pl", "futurlec", "soselectronic", "schukat", "promelec", "micropik",
)  # fmt: skip

# Libraries named after one maker: their symbols without a datasheet link are that maker's.
LIBRARY_MAKERS = {
    "FPGA_Xilinx": "xilinx", "CPLD_Xilinx": "xilinx", "MCU_Intel": "intel",
    "MCU_NXP_ColdFire": "freescale", "MCU_NXP_HC1": "freescale", "MCU_Microchip_": "microchip",
    "MCU_Texas": "texas-instruments",
}  # fmt: skip


def library_maker(library: str) -> str | None:
    return next((m for lib, m in LIBRARY_MAKERS.items() if library.startswith(lib)), None)


PREFIX_PATTERN = re.compile(r"([A-Z]+)(\d{0,2})([A-Z]?)")
SYMBOL_START = re.compile(r'^  \(symbol "([^"]+)"', re.M)
DATASHEET = re.compile(r'\(property "Datasheet" "([^"]*)"')


@dataclass(frozen=True)
class Part:
    name: str
    maker_id: str | None  # None: host not a maker's own site
    family: str  # current owner id, or "host:<name>" for a maker not in the registry
    library: str
    datasheet: str


@dataclass
class Candidate:
    prefix: str
    maker_id: str
    family: str
    parts: set[str] = field(default_factory=set)
    libraries: set[str] = field(default_factory=set)
    datasheets: set[str] = field(default_factory=set)
    purity: float = 0.0
    verdict: str = ""
    document: bool = False  # from MAKER_DOCUMENTS, not from KiCad symbols


def maker_for(url: str, registry: Registry) -> tuple[str | None, str | None]:
    """(registry id, family) for a maker-hosted datasheet URL; (None, None) for aggregators."""
    host = (urlparse(url.strip()).hostname or "").lower()
    if not host or any(a in host for a in AGGREGATORS):
        return None, None
    for suffix, maker_id in sorted(HOST_MAKERS.items(), key=lambda kv: -len(kv[0])):
        if host == suffix or host.endswith("." + suffix):
            try:
                return maker_id, registry.current_owner(maker_id).id
            except NotFound:  # a maker not in the registry is a family of its own
                return None, f"host:{suffix}"
    return None, f"host:{host.removeprefix('www.')}"


def read_parts(registry: Registry) -> list[Part]:
    parts: list[Part] = []
    for path in sorted(KICAD_DIR.glob("*.kicad_sym")):
        text = path.read_text(encoding="utf-8")
        starts = list(SYMBOL_START.finditer(text))
        for i, match in enumerate(starts):
            end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
            sheet = DATASHEET.search(text, match.end(), end)
            url = sheet.group(1) if sheet else ""
            maker_id, family = maker_for(url, registry) if url.strip() else (None, None)
            if family is None and (maker_id := library_maker(path.name)) is not None:
                family, url = registry.current_owner(maker_id).id, ""
            if family is None:
                continue
            name = match.group(1).split("_")[0].upper()
            parts.append(Part(name, maker_id, family, path.name, url))
    return parts


def candidates_of(name: str) -> list[str]:
    """Candidate prefixes of a part number, shortest first."""
    match = PREFIX_PATTERN.match(name)
    if not match:
        return []
    letters, digits, after = match.groups()
    found = [letters] if len(letters) >= 3 else []
    if len(letters) >= 2:
        found += [letters + digits[:n] for n in (1, 2) if len(digits) >= n]
        if len(digits) == 1 and after:
            found.append(letters + digits + after)  # a family letter: XC5V (Virtex-5), TS5A
    return found


# Short prefixes that refine another maker's registry prefix but cannot be its part numbers.
REFINES_OK = {"XC6V"}  # Torex continues XC6 with digits (XC6206); V is Xilinx Virtex-6

# Everyday words: rejected only as the whole prefix (AVR1 may pass where AVR may not).
WORDS = {"AVR": "word (automatic voltage regulator)", "NEO": "word", "ZEN": "word"}


def clash_of(prefix: str) -> str | None:
    if prefix in WORDS:
        return WORDS[prefix]
    return next((why for p, why in KNOWN_CLASHES.items() if prefix.startswith(p)), None)


def is_generic(prefix: str) -> bool:
    return any(prefix.startswith(root) or root.startswith(prefix) for root in GENERIC_ROOTS)


MINED_COMMENT = re.compile(r"^  # mined prefix (\S+) ")


def previously_mined() -> set[tuple[str, str]]:
    """(record id, prefix) pairs that an earlier --apply added (marked by its comment)."""
    found: set[tuple[str, str]] = set()
    for path in bundled_paths():
        record = ""
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.startswith("- id: "):
                record = line[6:].strip()
            elif match := MINED_COMMENT.match(line):
                found.add((record, match.group(1)))
    return found


def mine(registry: Registry) -> tuple[list[Part], list[Candidate]]:
    parts = read_parts(registry)
    # Registry prefixes as they were before mining, so a re-run reproduces the same table.
    mined_before = previously_mined()
    existing: dict[str, set[str]] = defaultdict(set)  # family -> registry prefixes
    for maker in registry:
        kept = {p for p in maker.prefixes if (maker.id, p) not in mined_before}
        existing[registry.current_owner(maker.id).id].update(kept)
    by_family_maker: dict[tuple[str, str], str] = {}  # (prefix, family) -> record id
    table: dict[tuple[str, str], Candidate] = {}

    def covered(part: Part) -> bool:
        return any(part.name.startswith(p) for p in existing[part.family])

    for part in parts:
        if part.maker_id is None or covered(part):
            continue  # only parts the registry cannot yet name are evidence for a new prefix
        for prefix in candidates_of(part.name):
            key = (prefix, part.family)
            cand = table.setdefault(key, Candidate(prefix, part.maker_id, part.family))
            cand.parts.add(part.name)
            cand.libraries.add(part.library)
            if part.datasheet:
                cand.datasheets.add(part.datasheet)
            by_family_maker.setdefault(key, part.maker_id)
    for maker_id, urls, families in MAKER_DOCUMENTS:
        family = registry.current_owner(maker_id).id
        for prefix, devices in families.items():
            cand = table.setdefault((prefix, family), Candidate(prefix, maker_id, family))
            cand.parts.update(devices)
            cand.datasheets.update(urls)
            cand.document = True
    names_by_family: dict[str, set[str]] = defaultdict(set)
    for part in parts:
        names_by_family[part.family].add(part.name)
    for cand in table.values():
        counts = {
            fam: sum(1 for n in names if n.startswith(cand.prefix))
            for fam, names in names_by_family.items()
        }
        total = sum(counts.values())
        cand.purity = counts.get(cand.family, 0) / total if total else 1.0  # none against
        clash = sorted(
            fam
            for fam, prefixes in existing.items()
            if fam != cand.family and any(p.startswith(cand.prefix) for p in prefixes)
        )
        # Another family's shorter registry prefix ("AD") that this one refines ("ADT").
        refines = sorted(
            fam
            for fam, prefixes in existing.items()
            if fam != cand.family and any(cand.prefix.startswith(p) for p in prefixes)
        )
        short = len(cand.prefix) <= 3  # short prefixes catch more: stricter evidence
        # ("NCS1" would catch onsemi's NCS199 current-sense amplifiers as well as Murata's.)
        if is_generic(cand.prefix):
            cand.verdict = "generic"
        elif known := clash_of(cand.prefix):
            cand.verdict = f"known-clash:{known}"
        elif clash:
            cand.verdict = "registry-collision:" + ",".join(clash)
        elif refines and len(cand.prefix) <= 4 and cand.prefix not in REFINES_OK:
            cand.verdict = "refines-short-prefix-of:" + ",".join(refines)
        elif cand.purity < (1.0 if short else 0.95):
            cand.verdict = "ambiguous"
        elif cand.document:
            cand.verdict = "pass"  # a maker's document states the scheme
        elif len(cand.parts) < (5 if short else 3):
            cand.verdict = "too-few-parts"
        elif short and len(cand.libraries) < 2:
            # A longer prefix may rest on one maker-hosted datasheet that lists the parts.
            cand.verdict = "one-document"
        else:
            cand.verdict = "pass"
    # Per part the shortest passing prefix; drop what a shorter prefix of the family covers.
    chosen = {k for k, c in table.items() if c.document and c.verdict == "pass"}
    for part in parts:
        if covered(part):
            continue
        for prefix in candidates_of(part.name):
            found = table.get((prefix, part.family))
            if found and found.verdict == "pass":
                chosen.add((prefix, part.family))
                break
    for prefix, family in sorted(chosen):
        shorter = [
            p
            for p in existing[family] | {q for q, f in chosen if f == family}
            if p != prefix and prefix.startswith(p)
        ]
        table[(prefix, family)].verdict = (
            "in-registry"
            if prefix in existing[family]
            else (f"covered-by:{min(shorter, key=len)}" if shorter else "add")
        )
    return parts, sorted(table.values(), key=lambda c: (c.family, c.prefix))


def write_table(cands: list[Candidate]) -> None:
    rows = ["prefix\tmaker\tfamily\tverdict\tpurity\tparts\tlibraries\texamples"]
    for c in cands:
        if c.verdict in ("too-few-parts",) and len(c.parts) < 2:
            continue  # single-part noise would bury the table
        rows.append(
            f"{c.prefix}\t{c.maker_id}\t{c.family}\t{c.verdict}\t{c.purity:.2f}\t{len(c.parts)}"
            f"\t{','.join(sorted(c.libraries)) or ','.join(sorted(c.datasheets))}"
            f"\t{','.join(sorted(c.parts)[:6])}"
        )
    TABLE.write_text("\n".join(rows) + "\n", encoding="utf-8")


def apply(cands: list[Candidate], registry: Registry) -> int:
    """Add each `add` prefix to its record: the prefixes line, sources, and a comment."""
    added = 0
    by_maker: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        if c.verdict == "add":
            by_maker[c.maker_id].append(c)
    files = {p.name: p for p in bundled_paths()}
    for maker_id, mined in sorted(by_maker.items()):
        record = registry.get(maker_id)
        path = files[record.file]
        lines = path.read_text(encoding="utf-8").split("\n")
        start = lines.index(f"- id: {maker_id}")
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("- id:")), len(lines)
        )
        while end > start and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1
        new = [c.prefix for c in mined if c.prefix not in record.prefixes]
        if not new:
            continue
        flow = any(line.startswith("    - {url:") for line in lines[start:end])
        known_urls = {s.url for s in record.sources}
        block: list[str] = []
        for c in mined:
            if c.prefix not in new:
                continue
            examples = ", ".join(sorted(c.parts)[:5])
            block.append(
                f"  # mined prefix {c.prefix} (scripts/mine_prefixes.py, docs/mined-prefixes.tsv):"
                f" {examples}"
            )
            urls = [KICAD_URL.format(tag=KICAD_TAG, file=lib) for lib in sorted(c.libraries)[:2]]
            urls += sorted(c.datasheets)[: None if c.document else 1]
            for url in urls:
                if url in known_urls:
                    continue
                known_urls.add(url)
                if flow:
                    block.append(f"    - {{url: {quote(url)}, supports: [prefixes]}}")
                else:
                    block += [f"  - url: {quote(url)}", "    supports: [prefixes]"]
        prefix_line = next(
            (i for i in range(start, end) if lines[i].startswith("  prefixes: [")), None
        )
        lines[end:end] = block
        if prefix_line is not None:
            lines[prefix_line] = lines[prefix_line].rstrip("]") + ", " + ", ".join(new) + "]"
        else:
            anchor = next(
                i for i in range(start, end) if lines[i].startswith(("  kinds:", "  sources:"))
            )
            lines.insert(anchor, f"  prefixes: [{', '.join(new)}]")
            # a record without prefixes needs no supports change: the new sources carry it
        path.write_text("\n".join(lines), encoding="utf-8")
        added += len(new)
    return added


def quote(url: str) -> str:
    """URLs with YAML-special characters are quoted."""
    return url if re.fullmatch(r"[A-Za-z0-9/:._~-]+", url) else '"' + url.replace('"', "%22") + '"'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--apply", action="store_true", help="add new prefixes to the YAML")
    args = parser.parse_args()
    if not KICAD_DIR.is_dir():
        print(f"{KICAD_DIR} missing: apt-get install kicad-symbols", file=sys.stderr)
        return 1
    registry = load_registry()
    parts, cands = mine(registry)
    write_table(cands)
    verdicts: dict[str, int] = defaultdict(int)
    for c in cands:
        verdicts[c.verdict.split(":")[0]] += 1
    print(f"{len(parts)} symbols with a datasheet host; {dict(sorted(verdicts.items()))}")
    if args.apply:
        print(f"added {apply(cands, registry)} prefixes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
