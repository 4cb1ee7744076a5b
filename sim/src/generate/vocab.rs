//! The words the generator builds people and notes from.
//!
//! Written for this crate. The lists are short on purpose: a few hundred
//! contacts drawn from them share surnames, employers and cities, which is
//! what makes search and disambiguation interesting to test.

/// How the phone numbers of people from one place are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneStyle {
    /// North America: `+1 415-555-0100`, `(415) 555 0101`, `415.555.0102`.
    NorthAmerica,
    /// UK: `0044 20 7946 0958`, `+44 7700 900123`.
    Uk,
    /// Germany: `+49 30 90182034`, `030 9018 2035`.
    Germany,
    /// France: `+33 1 23 45 67 89`, `06 12 34 56 78`.
    France,
    /// Spain: `+34 912 345 678`.
    Spain,
    /// Poland: `+48 22 123 45 67`.
    Poland,
    /// Denmark: `+45 32 12 34 56`.
    Denmark,
    /// Brazil: `+55 11 91234-5678`.
    Brazil,
    /// Italy: `+39 06 1234 5678`.
    Italy,
    /// Japan: `+81 3-1234-5678`.
    Japan,
}

/// Names and places of one language area.
#[derive(Debug)]
pub struct Origin {
    /// Given names.
    pub first_names: &'static [&'static str],
    /// Family names.
    pub last_names: &'static [&'static str],
    /// Cities people from here live in.
    pub cities: &'static [&'static str],
    /// How their phone numbers look.
    pub phone_style: PhoneStyle,
    /// Personal email providers common there.
    pub mail_domains: &'static [&'static str],
    /// Relative frequency among generated contacts.
    pub weight: u32,
}

/// The language areas, weighted so English names are the most common but
/// names with diacritics are never rare.
pub const ORIGINS: &[Origin] = &[
    Origin {
        first_names: &[
            "Robert",
            "William",
            "Elizabeth",
            "Katherine",
            "Michael",
            "Jennifer",
            "James",
            "Christopher",
            "Sarah",
            "Emily",
            "Daniel",
            "Olivia",
            "Theodore",
            "Zoë",
            "Margaret",
            "Nicholas",
            "Grace",
            "Ethan",
        ],
        last_names: &[
            "Smith", "Johnson", "Walker", "O'Brien", "Nguyen", "Patel", "Thompson", "Carter",
            "Hughes", "Bennett", "Brooks", "Foster",
        ],
        cities: &[
            "San Francisco",
            "New York",
            "Austin",
            "Seattle",
            "Toronto",
            "Boston",
        ],
        phone_style: PhoneStyle::NorthAmerica,
        mail_domains: &["gmail.com", "outlook.com", "icloud.com", "yahoo.com"],
        weight: 30,
    },
    Origin {
        first_names: &[
            "Oliver",
            "Amelia",
            "Harry",
            "Imogen",
            "Richard",
            "Charlotte",
            "Alexander",
            "Siobhán",
            "Niamh",
            "Rhys",
        ],
        last_names: &[
            "Smith",
            "Taylor",
            "Davies",
            "Evans",
            "Wright",
            "Clarke",
            "Murphy",
            "Fitzgerald",
        ],
        cities: &["London", "Manchester", "Edinburgh", "Dublin", "Bristol"],
        phone_style: PhoneStyle::Uk,
        mail_domains: &["gmail.com", "hotmail.co.uk", "proton.me"],
        weight: 12,
    },
    Origin {
        first_names: &[
            "José",
            "Francisco",
            "Ignacio",
            "María",
            "Lucía",
            "Guillermo",
            "Inés",
            "Álvaro",
            "Begoña",
            "Joaquín",
        ],
        last_names: &[
            "Álvarez",
            "García",
            "Fernández",
            "Martínez",
            "Núñez",
            "Muñoz",
            "Ibáñez",
            "Sánchez",
        ],
        cities: &["Madrid", "Barcelona", "Sevilla", "Valencia", "Bilbao"],
        phone_style: PhoneStyle::Spain,
        mail_domains: &["gmail.com", "hotmail.es", "outlook.com"],
        weight: 10,
    },
    Origin {
        first_names: &[
            "Johannes", "Jürgen", "Lena", "Mareike", "Björn", "Katrin", "Matthias", "Günther",
            "Annika", "Jörg",
        ],
        last_names: &[
            "Müller",
            "Schröder",
            "Weiß",
            "Köhler",
            "Fischer",
            "Hoffmann",
            "Schäfer",
            "Becker",
        ],
        cities: &["Berlin", "München", "Hamburg", "Köln", "Zürich", "Wien"],
        phone_style: PhoneStyle::Germany,
        mail_domains: &["gmx.de", "web.de", "posteo.de", "gmail.com"],
        weight: 10,
    },
    Origin {
        first_names: &[
            "François",
            "Hélène",
            "Amélie",
            "Benoît",
            "Céline",
            "Jérôme",
            "Anaïs",
            "Clément",
            "Gaëlle",
            "Loïc",
        ],
        last_names: &[
            "Dupont",
            "Lefèvre",
            "Moreau",
            "Girard",
            "Bérenger",
            "Rousseau",
            "Mercier",
            "Chevalier",
        ],
        cities: &["Paris", "Lyon", "Bordeaux", "Montréal", "Nantes"],
        phone_style: PhoneStyle::France,
        mail_domains: &["orange.fr", "free.fr", "gmail.com"],
        weight: 8,
    },
    Origin {
        first_names: &[
            "Søren", "Mette", "Åsa", "Bjørn", "Sigrid", "Mads", "Freja", "Østen", "Ingrid", "Lars",
        ],
        last_names: &[
            "Jørgensen",
            "Nielsen",
            "Sørensen",
            "Lindqvist",
            "Åberg",
            "Halvorsen",
            "Hansen",
            "Ødegaard",
        ],
        cities: &["København", "Aarhus", "Oslo", "Stockholm", "Göteborg"],
        phone_style: PhoneStyle::Denmark,
        mail_domains: &["gmail.com", "outlook.com", "proton.me"],
        weight: 6,
    },
    Origin {
        first_names: &[
            "Łukasz",
            "Małgorzata",
            "Katarzyna",
            "Aleksandra",
            "Paweł",
            "Zofia",
            "Wojciech",
            "Agnieszka",
            "Michał",
            "Jędrzej",
        ],
        last_names: &[
            "Kowalski",
            "Wiśniewska",
            "Wójcik",
            "Zieliński",
            "Dąbrowska",
            "Lewandowski",
            "Szymańska",
            "Kaczmarek",
        ],
        cities: &["Warszawa", "Kraków", "Wrocław", "Gdańsk", "Poznań"],
        phone_style: PhoneStyle::Poland,
        mail_domains: &["wp.pl", "onet.pl", "gmail.com"],
        weight: 6,
    },
    Origin {
        first_names: &[
            "João",
            "Antônio",
            "Conceição",
            "Gonçalo",
            "Thaís",
            "Luís",
            "Fernanda",
            "Sebastião",
        ],
        last_names: &[
            "Gonçalves",
            "Araújo",
            "Magalhães",
            "Simões",
            "Conceição",
            "Pereira",
            "Lopes",
            "Brandão",
        ],
        cities: &[
            "São Paulo",
            "Lisboa",
            "Porto",
            "Rio de Janeiro",
            "Belo Horizonte",
        ],
        phone_style: PhoneStyle::Brazil,
        mail_domains: &["uol.com.br", "gmail.com", "sapo.pt"],
        weight: 6,
    },
    Origin {
        first_names: &[
            "Giuseppe",
            "Francesca",
            "Niccolò",
            "Chiara",
            "Lucrezia",
            "Matteo",
            "Elisabetta",
            "Gianluca",
        ],
        last_names: &[
            "Rossi", "Esposito", "Bianchi", "De Luca", "Mancini", "Colombo", "Ricci", "Galli",
        ],
        cities: &["Milano", "Roma", "Torino", "Bologna", "Napoli"],
        phone_style: PhoneStyle::Italy,
        mail_domains: &["libero.it", "gmail.com", "tiscali.it"],
        weight: 6,
    },
    Origin {
        first_names: &[
            "Haruto", "Yūki", "Sakura", "Kenji", "Aiko", "Ren", "Hinata", "Shōta",
        ],
        last_names: &[
            "Satō",
            "Suzuki",
            "Takahashi",
            "Tanaka",
            "Itō",
            "Watanabe",
            "Kōno",
        ],
        cities: &["Tōkyō", "Ōsaka", "Kyoto", "Fukuoka"],
        phone_style: PhoneStyle::Japan,
        mail_domains: &["gmail.com", "icloud.com"],
        weight: 6,
    },
];

/// Given names people often go by another name for, and that other name.
pub const NICKNAMES: &[(&str, &str)] = &[
    ("Robert", "Bob"),
    ("William", "Bill"),
    ("Elizabeth", "Liz"),
    ("Katherine", "Kate"),
    ("Michael", "Mike"),
    ("Jennifer", "Jen"),
    ("James", "Jim"),
    ("Christopher", "Chris"),
    ("Theodore", "Teddy"),
    ("Margaret", "Maggie"),
    ("Nicholas", "Nick"),
    ("Richard", "Rick"),
    ("Alexander", "Sasha"),
    ("José", "Pepe"),
    ("Francisco", "Paco"),
    ("Ignacio", "Nacho"),
    ("Guillermo", "Memo"),
    ("Johannes", "Hannes"),
    ("Małgorzata", "Gosia"),
    ("Katarzyna", "Kasia"),
    ("Aleksandra", "Ola"),
    ("Giuseppe", "Beppe"),
    ("Francesca", "Fran"),
    ("Antônio", "Tonho"),
];

/// Invented employers and their email domains.
pub const COMPANIES: &[(&str, &str)] = &[
    ("Northwind Analytics", "northwind-analytics.com"),
    ("Bluefin Robotics", "bluefin-robotics.io"),
    ("Lumen & Vale", "lumenvale.com"),
    ("Kestrel Health", "kestrelhealth.org"),
    ("Orchard Ledger", "orchardledger.com"),
    ("Papillon Studio", "papillon.studio"),
    ("Tundra Capital", "tundracap.com"),
    ("Marigold Foods", "marigoldfoods.co"),
    ("Quartzline Systems", "quartzline.dev"),
    ("Cobalt Harbor Logistics", "cobaltharbor.com"),
    ("Feldmann & Söhne", "feldmann-soehne.de"),
    ("Atelier Bérenger", "atelier-berenger.fr"),
    ("Nordlys Energi", "nordlys-energi.dk"),
    ("Vistula Software", "vistula-software.pl"),
    ("Cerâmica Atlântica", "ceramica-atlantica.pt"),
    ("Ferrovia Verde", "ferroviaverde.it"),
    ("Hikari Mobility", "hikari-mobility.jp"),
    ("Sierra Alta Vinos", "sierraalta.es"),
    ("Greyhaven University", "greyhaven.edu"),
    ("Polaris Ventures", "polaris.vc"),
    ("Mapleworks", "mapleworks.ca"),
    ("Driftwood Media", "driftwood.media"),
    ("Helix Bio", "helixbio.com"),
    ("Saltmarsh Design", "saltmarsh.design"),
];

/// Job titles.
pub const JOB_TITLES: &[&str] = &[
    "Software Engineer",
    "Staff Engineer",
    "Product Manager",
    "Head of Design",
    "CEO",
    "Co-founder",
    "CTO",
    "Account Executive",
    "Partner",
    "Principal",
    "Data Scientist",
    "Marketing Lead",
    "Recruiter",
    "Professor",
    "Head of Sales",
    "Chief of Staff",
    "Research Scientist",
    "Operations Manager",
    "Architect",
    "Journalist",
];

/// Places to meet people, for note text.
pub const VENUES: &[&str] = &[
    "Blue Bottle",
    "the Ferry Building",
    "Café Einstein",
    "Tartine",
    "the hotel bar",
    "Le Petit Zinc",
    "Pret near the office",
    "the climbing gym",
    "Monmouth Coffee",
    "their office",
    "a ramen place",
    "the farmers market",
];

/// Gatherings, for note text.
pub const EVENTS: &[&str] = &[
    "Web Summit",
    "RustConf",
    "a YC demo day",
    "SaaStr",
    "the alumni dinner",
    "Slush",
    "a friend's wedding",
    "the product offsite",
    "FOSDEM",
    "a book launch",
];

/// What people talk about, for note and reminder text.
pub const TOPICS: &[&str] = &[
    "their Series A",
    "hiring a VP of Engineering",
    "moving to Lisbon",
    "the new baby",
    "marathon training",
    "a board seat",
    "the podcast idea",
    "pricing strategy",
    "their sabbatical",
    "the open-source release",
    "a kitchen renovation",
    "learning Japanese",
    "the acquisition rumours",
    "a climbing trip to Chamonix",
];

/// Schools, for the education field.
pub const SCHOOLS: &[&str] = &[
    "Stanford University",
    "ETH Zürich",
    "Universidad Complutense de Madrid",
    "Sciences Po",
    "Uniwersytet Jagielloński",
    "Københavns Universitet",
    "Universidade de São Paulo",
    "Politecnico di Milano",
    "University of Toronto",
    "Kyoto University",
    "TU München",
    "Trinity College Dublin",
];

/// Street names, for addresses.
pub const STREETS: &[&str] = &[
    "Market Street",
    "Calle Mayor",
    "Friedrichstraße",
    "Rue de Rivoli",
    "Nørrebrogade",
    "ulica Floriańska",
    "Rua Augusta",
    "Via Roma",
    "Elm Avenue",
    "High Street",
];

/// Tags every generated account has.
pub const TAGS: &[&str] = &[
    "Friends",
    "Family",
    "Investor",
    "Colleague",
    "Climbing",
    "Book club",
    "Mentor",
    "Conference",
];

/// Groups every generated account has, with their emoji.
pub const GROUPS: &[(&str, &str)] = &[
    ("Close friends", "💛"),
    ("Berlin crew", "🐻"),
    ("Former colleagues", "💼"),
    ("Advisors", "🧭"),
];

/// Custom fields every generated account has: name, Dex's field type and,
/// for an `autocomplete` field, its options.
pub const CUSTOM_FIELDS: &[(&str, &str, &[&str])] = &[
    ("How we met", "input", &[]),
    (
        "Dietary preferences",
        "autocomplete",
        &["Vegetarian", "Vegan", "Pescatarian", "No restrictions"],
    ),
    ("Met on", "datepicker", &[]),
];
