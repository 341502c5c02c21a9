"""Real universities and research institutes the simulated students, labs and look-alike campaigns refer to.

Names, mail domains and address blocks are the institutions' public ones as best known; the simulator only
needs them to be plausible and consistent, not authoritative.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Institution:
    key: str
    name: str
    country: str
    tz_offset_hours: float  # standard time; the simulator ignores daylight saving
    staff_domains: tuple[str, ...]  # first is the main one; department subdomains follow
    student_domains: tuple[str, ...]
    networks: tuple[str, ...]  # IPv4 blocks the campus egresses from
    student_address: str  # how the institution forms student mail local parts, see identities.student_local_part
    enrols_students: bool = True


def _uni(key, name, country, tz, staff, students, networks, address="name"):
    return Institution(key, name, country, tz, tuple(staff), tuple(students), tuple(networks), address)


def _institute(key, name, country, tz, staff, networks):
    return Institution(key, name, country, tz, tuple(staff), tuple(staff), tuple(networks), "name", False)


INSTITUTIONS: tuple[Institution, ...] = (
    _uni(
        "stanford",
        "Stanford University",
        "US",
        -8,
        ["stanford.edu", "cs.stanford.edu"],
        ["stanford.edu"],
        ["171.64.0.0/14"],
    ),
    _uni(
        "mit",
        "Massachusetts Institute of Technology",
        "US",
        -5,
        ["mit.edu", "csail.mit.edu"],
        ["mit.edu"],
        ["18.0.0.0/11"],
    ),
    _uni(
        "berkeley",
        "University of California, Berkeley",
        "US",
        -8,
        ["berkeley.edu", "eecs.berkeley.edu"],
        ["berkeley.edu"],
        ["128.32.0.0/16", "136.152.0.0/16"],
    ),
    _uni(
        "cmu",
        "Carnegie Mellon University",
        "US",
        -5,
        ["cmu.edu", "cs.cmu.edu"],
        ["andrew.cmu.edu"],
        ["128.2.0.0/16", "128.237.0.0/16"],
    ),
    _uni(
        "harvard",
        "Harvard University",
        "US",
        -5,
        ["harvard.edu", "seas.harvard.edu"],
        ["college.harvard.edu", "g.harvard.edu"],
        ["128.103.0.0/16", "140.247.0.0/16"],
    ),
    _uni(
        "princeton",
        "Princeton University",
        "US",
        -5,
        ["princeton.edu", "cs.princeton.edu"],
        ["princeton.edu"],
        ["128.112.0.0/16"],
    ),
    _uni(
        "cornell",
        "Cornell University",
        "US",
        -5,
        ["cornell.edu", "cs.cornell.edu"],
        ["cornell.edu"],
        ["128.84.0.0/16", "132.236.0.0/16"],
        "netid",
    ),
    _uni(
        "caltech", "California Institute of Technology", "US", -8, ["caltech.edu"], ["caltech.edu"], ["131.215.0.0/16"]
    ),
    _uni(
        "uiuc",
        "University of Illinois Urbana-Champaign",
        "US",
        -6,
        ["illinois.edu", "cs.illinois.edu"],
        ["illinois.edu"],
        ["130.126.0.0/16"],
    ),
    _uni(
        "umich", "University of Michigan", "US", -5, ["umich.edu", "eecs.umich.edu"], ["umich.edu"], ["141.211.0.0/16"]
    ),
    _uni(
        "gatech",
        "Georgia Institute of Technology",
        "US",
        -5,
        ["gatech.edu", "cc.gatech.edu"],
        ["gatech.edu"],
        ["128.61.0.0/16", "143.215.0.0/16"],
    ),
    _uni(
        "ucla",
        "University of California, Los Angeles",
        "US",
        -8,
        ["ucla.edu", "cs.ucla.edu"],
        ["g.ucla.edu"],
        ["131.179.0.0/16", "164.67.0.0/16"],
    ),
    _uni(
        "utexas",
        "The University of Texas at Austin",
        "US",
        -6,
        ["utexas.edu", "cs.utexas.edu"],
        ["utexas.edu"],
        ["128.83.0.0/16", "146.6.0.0/16"],
    ),
    _uni(
        "columbia",
        "Columbia University",
        "US",
        -5,
        ["columbia.edu", "cs.columbia.edu"],
        ["columbia.edu"],
        ["128.59.0.0/16", "160.39.0.0/16"],
        "netid",
    ),
    _uni(
        "nyu",
        "New York University",
        "US",
        -5,
        ["nyu.edu", "cims.nyu.edu"],
        ["nyu.edu"],
        ["128.122.0.0/16", "216.165.0.0/17"],
        "netid",
    ),
    _uni(
        "ucsd",
        "University of California San Diego",
        "US",
        -8,
        ["ucsd.edu", "eng.ucsd.edu"],
        ["ucsd.edu"],
        ["132.239.0.0/16", "137.110.0.0/16"],
    ),
    _uni(
        "uw",
        "University of Washington",
        "US",
        -8,
        ["uw.edu", "cs.washington.edu"],
        ["uw.edu"],
        ["128.95.0.0/16", "128.208.0.0/16"],
    ),
    _uni(
        "oxford",
        "University of Oxford",
        "GB",
        0,
        ["ox.ac.uk", "cs.ox.ac.uk", "eng.ox.ac.uk"],
        ["balliol.ox.ac.uk", "magd.ox.ac.uk", "new.ox.ac.uk", "some.ox.ac.uk"],
        ["129.67.0.0/16", "163.1.0.0/16"],
    ),
    _uni(
        "cambridge",
        "University of Cambridge",
        "GB",
        0,
        ["cam.ac.uk", "cl.cam.ac.uk"],
        ["cam.ac.uk"],
        ["131.111.0.0/16"],
        "crsid",
    ),
    _uni(
        "edinburgh",
        "University of Edinburgh",
        "GB",
        0,
        ["ed.ac.uk", "inf.ed.ac.uk"],
        ["sms.ed.ac.uk"],
        ["129.215.0.0/16"],
        "s_number",
    ),
    _uni(
        "imperial",
        "Imperial College London",
        "GB",
        0,
        ["imperial.ac.uk", "doc.ic.ac.uk"],
        ["ic.ac.uk"],
        ["155.198.0.0/16", "146.169.0.0/16"],
    ),
    _uni(
        "ucl",
        "University College London",
        "GB",
        0,
        ["ucl.ac.uk", "cs.ucl.ac.uk"],
        ["ucl.ac.uk"],
        ["128.40.0.0/16", "144.82.0.0/16"],
    ),
    _uni(
        "ethz",
        "ETH Zurich",
        "CH",
        1,
        ["ethz.ch", "inf.ethz.ch"],
        ["student.ethz.ch"],
        ["129.132.0.0/16", "82.130.64.0/18"],
    ),
    _uni("epfl", "EPFL", "CH", 1, ["epfl.ch"], ["epfl.ch"], ["128.178.0.0/15"]),
    _uni(
        "tum",
        "Technical University of Munich",
        "DE",
        1,
        ["tum.de", "in.tum.de"],
        ["mytum.de", "tum.de"],
        ["129.187.0.0/16", "138.246.0.0/16"],
    ),
    _uni(
        "utokyo",
        "The University of Tokyo",
        "JP",
        9,
        ["u-tokyo.ac.jp", "is.s.u-tokyo.ac.jp"],
        ["g.ecc.u-tokyo.ac.jp"],
        ["133.11.0.0/16", "157.82.0.0/16"],
    ),
    _uni(
        "tsinghua",
        "Tsinghua University",
        "CN",
        8,
        ["tsinghua.edu.cn"],
        ["mails.tsinghua.edu.cn"],
        ["166.111.0.0/16", "101.5.0.0/16", "183.172.0.0/15"],
        "pinyin_year",
    ),
    _uni(
        "pku",
        "Peking University",
        "CN",
        8,
        ["pku.edu.cn"],
        ["stu.pku.edu.cn"],
        ["162.105.0.0/16", "115.27.0.0/16"],
        "pinyin_year",
    ),
    _uni("zju", "Zhejiang University", "CN", 8, ["zju.edu.cn"], ["zju.edu.cn"], ["210.32.0.0/16"], "pinyin_year"),
    _uni(
        "nus",
        "National University of Singapore",
        "SG",
        8,
        ["nus.edu.sg", "comp.nus.edu.sg"],
        ["u.nus.edu"],
        ["137.132.0.0/16"],
        "e_number",
    ),
    _uni("kaist", "KAIST", "KR", 9, ["kaist.ac.kr"], ["kaist.ac.kr"], ["143.248.0.0/16"]),
    _uni("snu", "Seoul National University", "KR", 9, ["snu.ac.kr"], ["snu.ac.kr"], ["147.46.0.0/16", "147.47.0.0/16"]),
    _uni(
        "utoronto",
        "University of Toronto",
        "CA",
        -5,
        ["utoronto.ca", "cs.toronto.edu"],
        ["mail.utoronto.ca"],
        ["128.100.0.0/16", "142.150.0.0/16"],
    ),
    _uni(
        "mcgill",
        "McGill University",
        "CA",
        -5,
        ["mcgill.ca", "cs.mcgill.ca"],
        ["mail.mcgill.ca"],
        ["132.206.0.0/16", "132.216.0.0/16"],
    ),
    _uni(
        "ubc",
        "University of British Columbia",
        "CA",
        -8,
        ["ubc.ca", "cs.ubc.ca"],
        ["student.ubc.ca"],
        ["137.82.0.0/16", "142.103.0.0/16"],
    ),
    _uni(
        "uwaterloo",
        "University of Waterloo",
        "CA",
        -5,
        ["uwaterloo.ca", "cs.uwaterloo.ca"],
        ["uwaterloo.ca"],
        ["129.97.0.0/16"],
    ),
    _uni(
        "unimelb",
        "The University of Melbourne",
        "AU",
        10,
        ["unimelb.edu.au"],
        ["student.unimelb.edu.au"],
        ["128.250.0.0/16"],
    ),
    _uni("usyd", "The University of Sydney", "AU", 10, ["sydney.edu.au"], ["uni.sydney.edu.au"], ["129.78.0.0/16"]),
    _uni(
        "anu",
        "Australian National University",
        "AU",
        10,
        ["anu.edu.au"],
        ["anu.edu.au"],
        ["150.203.0.0/16"],
        "u_number",
    ),
    _uni(
        "technion",
        "Technion - Israel Institute of Technology",
        "IL",
        2,
        ["technion.ac.il", "cs.technion.ac.il"],
        ["campus.technion.ac.il"],
        ["132.68.0.0/16", "132.69.0.0/16"],
    ),
    _uni(
        "iitb",
        "Indian Institute of Technology Bombay",
        "IN",
        5.5,
        ["iitb.ac.in", "cse.iitb.ac.in"],
        ["iitb.ac.in"],
        ["103.21.124.0/22"],
        "roll",
    ),
    _uni(
        "iitd",
        "Indian Institute of Technology Delhi",
        "IN",
        5.5,
        ["iitd.ac.in", "cse.iitd.ac.in"],
        ["iitd.ac.in"],
        ["103.27.8.0/22"],
        "roll",
    ),
    _uni("iisc", "Indian Institute of Science", "IN", 5.5, ["iisc.ac.in"], ["iisc.ac.in"], ["14.139.128.0/22"]),
    _uni("kth", "KTH Royal Institute of Technology", "SE", 1, ["kth.se"], ["ug.kth.se"], ["130.237.0.0/16"]),
    _uni(
        "tudelft",
        "Delft University of Technology",
        "NL",
        1,
        ["tudelft.nl"],
        ["student.tudelft.nl"],
        ["131.180.0.0/16", "145.94.0.0/16"],
    ),
    _uni(
        "uva", "University of Amsterdam", "NL", 1, ["uva.nl", "science.uva.nl"], ["student.uva.nl"], ["145.18.0.0/16"]
    ),
    _uni("ens", "École normale supérieure", "FR", 1, ["ens.fr", "di.ens.fr"], ["ens.psl.eu"], ["129.199.0.0/16"]),
    _uni("usp", "Universidade de São Paulo", "BR", -3, ["usp.br", "ime.usp.br"], ["usp.br"], ["143.107.0.0/16"]),
    # Research institutes employ researchers but enrol no classes.
    _institute("ai2", "Allen Institute for AI", "US", -8, ["allenai.org"], ["44.224.0.0/16"]),
    _institute("mila", "Mila - Quebec AI Institute", "CA", -5, ["mila.quebec"], ["132.204.0.0/16"]),
    _institute("vector", "Vector Institute", "CA", -5, ["vectorinstitute.ai"], ["142.150.0.0/16"]),
    _institute(
        "mpi_is",
        "Max Planck Institute for Intelligent Systems",
        "DE",
        1,
        ["tuebingen.mpg.de", "is.mpg.de"],
        ["192.124.26.0/24", "192.124.27.0/24"],
    ),
    _institute("inria", "Inria", "FR", 1, ["inria.fr"], ["128.93.0.0/16"]),
)

UNIVERSITIES: tuple[Institution, ...] = tuple(i for i in INSTITUTIONS if i.enrols_students)

# Larger and better-known schools send more classes and more look-alike attempts.
UNIVERSITY_WEIGHTS: tuple[float, ...] = tuple(
    3.0 if i.key in {"stanford", "mit", "berkeley", "cmu", "tsinghua", "iitb", "utoronto", "oxford"} else 1.0
    for i in UNIVERSITIES
)

# Short forms attackers put into look-alike domains; `{}` takes one of LOOKALIKE_PATTERNS.
LOOKALIKE_STEMS: dict[str, tuple[str, ...]] = {
    "stanford": ("stanford", "stanford-ai"),
    "berkeley": ("berkeley", "ucberkeley"),
    "mit": ("mit-csail", "mit-ai"),
    "cmu": ("cmu", "cmu-ml"),
    "oxford": ("oxford", "ox-ai"),
    "ethz": ("ethz", "eth-zurich"),
    "tsinghua": ("tsinghua", "thu-ai"),
    "iitb": ("iitb", "iit-bombay"),
    "utoronto": ("utoronto", "toronto-ai"),
    "nus": ("nus", "nus-comp"),
}

LOOKALIKE_PATTERNS: tuple[str, ...] = (
    "{}-research.org",
    "{}-ai-institute.com",
    "{}-lab.net",
    "{}-edu.net",
    "{}.edu.co",
    "{}-alumni.org",
    "{}-scholars.org",
    "mail-{}.com",
    "{}-university.us",
)
