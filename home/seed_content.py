"""Seeded copy used by the load_ioi_content command.

Written for the site from the seed documents (ioi-overview.md and ioi-facts.md). Pure data with no
Django imports, so it can be read by the management command and by tests alike.
"""

IMPACT_URL = "https://investinopen.org/our-impact/"
WORK_URL = "https://investinopen.org/work/"
# The old site's post announcing the fund: the seeded news post keeps its slug, so that its old
# address (/blog/<slug>/) redirects to the new one (/news/<slug>/).
FUND_POST_SLUG = (
    "invest-in-open-infrastructure-announces-2-7m-commitment-from-founding-group-for-the-ioi-"
    "fund-for-network-adoption"
)
NEWSLETTER_URL = "https://share.investinopen.org/newsletter"
CONTACT_EMAIL = "info@investinopen.org"

SETTINGS = {
    "organisation_name": "Invest in Open Infrastructure",
    "tagline": "Helping research institutions and funders invest wisely in open infrastructure.",
    "contact_email": CONTACT_EMAIL,
    "website_url": "https://investinopen.org/",
    "postal_address": "",
    "newsletter_url": NEWSLETTER_URL,
    "footer_text": (
        "Invest in Open Infrastructure is a non-profit working for sustainable, community-led "
        "open infrastructure. Content on this site is licensed CC BY 4.0 unless noted otherwise."
    ),
}

HOME = {
    "title": "Home",
    "seo_title": "Invest in Open Infrastructure: evidence and funding for open research tools",
    "search_description": (
        "IOI is a non-profit helping institutions and funders sustain the open tools and "
        "systems that research and scholarship rely on."
    ),
    "headline": "Making the open systems behind research last",
    "introduction": (
        "<p>Research and scholarship depend on shared tools and platforms: repositories, "
        "publishing systems, identifiers and more. <strong>Invest in Open Infrastructure</strong> "
        "is a non-profit that helps keep these open, dependable and in the hands of the "
        "communities that use them.</p>"
        "<p>We work worldwide, offering research, funding insight and advocacy to the "
        "universities, libraries and funders who support this infrastructure.</p>"
    ),
    "body": [
        ("heading", {"text": "How we work", "level": "h2"}),
        (
            "paragraph",
            (
                "<p>We do not write software or run platforms ourselves. Instead, our research, "
                "guidance and investment strengthen the open source projects and organisations "
                "that serve research and education.</p>"
                "<p>That means assessing needs, building partnerships across sectors and funding "
                "work that helps projects grow their capacity.</p>"
            ),
        ),
        (
            "quote",
            {
                "text": (
                    "We help research institutions and funders invest in the open technology and "
                    "systems that research relies on, through evidence, guidance and coordinated "
                    "funding."
                ),
                "attribution": "Invest in Open Infrastructure",
                "role": "Our mission",
            },
        ),
    ],
    "key_activities_heading": "What we do",
    "impact_teaser_heading": "The difference our work makes",
    "call_to_action": {
        "heading": "Work with us",
        "text": "Have a question about our research or an idea for collaboration? We would be "
        "glad to hear from you.",
        "link": {"title": "Contact Invest in Open Infrastructure", "page": "contact"},
    },
}

INITIATIVE_INDEX = {
    "title": "Our work",
    "slug": "initiatives",
    "search_description": (
        "How IOI supports open infrastructure: strategic support for projects, research on the "
        "landscape, and collaboration across institutions."
    ),
    "introduction": (
        "<p>Our work falls into three connected strands. Each one aims to make open "
        "infrastructure for research more sustainable, better funded and fairly governed.</p>"
    ),
}

INITIATIVES = [
    {
        "title": "Strategic support for open source projects",
        "slug": "strategic-support",
        "search_description": (
            "IOI offers analysis, funding routes and guidance to teams and institutions behind "
            "open source infrastructure for research."
        ),
        "summary": (
            "We give open source projects and the institutions around them analysis, routes to "
            "funding and practical guidance on strategy, governance and sustainability."
        ),
        "status": "active",
        "body": [
            ("heading", {"text": "Advice that fits each project", "level": "h2"}),
            (
                "paragraph",
                (
                    "<p>Teams that maintain open infrastructure often have to plan for the long term "
                    "with little time or money to spare. We work alongside developers and host "
                    "institutions to look at their strategy, governance and funding options.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Our support can include:</p>"
                    "<ul><li>analysis of a project's position and needs</li>"
                    "<li>identifying realistic funding pathways</li>"
                    "<li>guidance on governance and sustainability</li></ul>"
                    "<p>One recent example was a 14-month strategy engagement with arXiv, the "
                    "open preprint service.</p>"
                ),
            ),
        ],
        "related_links": [
            {"title": "IOI's work with open infrastructure projects", "url": WORK_URL},
            {"title": "Evidence of IOI's impact", "url": IMPACT_URL},
        ],
        "call_to_action": {
            "heading": "Looking for strategic support?",
            "text": "Tell us about your project and what you need, and we will see how we can "
            "help.",
            "link": {"title": "Get in touch about strategic support", "page": "contact"},
        },
    },
    {
        "title": "Research on open infrastructure",
        "slug": "research",
        "search_description": (
            "IOI researches gaps in open science infrastructure worldwide, including its yearly "
            "State of Open Infrastructure report."
        ),
        "summary": (
            "We study open science infrastructure around the world to find gaps and to argue "
            "for fairer access to funding and governance."
        ),
        "status": "active",
        "body": [
            ("heading", {"text": "Evidence for better decisions", "level": "h2"}),
            (
                "paragraph",
                (
                    "<p>Funders and institutions need good information to decide where their "
                    "support will count. Our landscape scans and studies of what open "
                    "infrastructure costs show where gaps lie and who is left out.</p>"
                ),
            ),
            ("heading", {"text": "The State of Open Infrastructure", "level": "h2"}),
            (
                "paragraph",
                (
                    "<p>Each year we publish the <em>State of Open Infrastructure</em> report, which "
                    "tracks how this infrastructure is funded.</p>"
                ),
            ),
            (
                "statistics",
                {
                    "heading": "Funding tracked in recent editions",
                    "statistics": [
                        {"figure": "514", "label": "Grants from 23 funders (2024 edition)"},
                        {"figure": "About $415.8M", "label": "Funding covered (2024 edition)"},
                        {"figure": "641", "label": "Grants analysed (2025 edition)"},
                        {
                            "figure": "About $550M",
                            "label": "Funding from 2001 to 2024 (2025 edition)",
                        },
                    ],
                },
            ),
        ],
        "related_links": [
            {"title": "Our reports and landscape scans", "page": "research-index"},
            {
                "title": "The State of Open Infrastructure 2025",
                "page": "state-of-open-infrastructure-2025",
            },
        ],
        "call_to_action": {
            "heading": "Use our research",
            "text": "Want to discuss our findings or explore a research question with us?",
            "link": {"title": "Contact IOI about research", "page": "contact"},
        },
    },
    {
        "title": "Collaboration across institutions",
        "slug": "collaboration",
        "search_description": (
            "IOI works with universities, libraries and funders to secure sustained support for "
            "open infrastructure, including through coordinated funds."
        ),
        "summary": (
            "We bring universities, libraries and funders together to push for steadier, "
            "longer-term support for open infrastructure and software."
        ),
        "status": "active",
        "body": [
            ("heading", {"text": "Stronger together", "level": "h2"}),
            (
                "paragraph",
                (
                    "<p>No single institution can sustain shared infrastructure alone. We work with "
                    "universities, libraries and funders to make the case for lasting support and to "
                    "pool resources where that helps.</p>"
                ),
            ),
            ("heading", {"text": "The IOI Fund for Network Adoption", "level": "h2"}),
            (
                "paragraph",
                (
                    "<p>This coordinated fund, backed by a founding group of funders, helps regional "
                    "networks adopt open infrastructure. The call drew more than 100 applications "
                    "from 22 countries.</p>"
                    "<p>The first two grantees are LA Referencia and the UbuntuNet Alliance, each "
                    "receiving up to US$1.5M.</p>"
                ),
            ),
        ],
        "related_links": [
            {
                "title": "Announcement of the founding commitment to the IOI Fund for Network "
                "Adoption",
                "page": FUND_POST_SLUG,
            },
            {"title": "News of our funds and programmes", "page": "news-index"},
        ],
        "call_to_action": {
            "heading": "Collaborate with us",
            "text": "If your institution or foundation wants to support open infrastructure "
            "together with others, we would like to hear from you.",
            "link": {"title": "Contact IOI about collaboration", "page": "contact"},
        },
    },
]

IMPACT = {
    "title": "Our impact",
    "slug": "impact",
    "search_description": (
        "How IOI's work has shaped policy, funding and debate on sustainable open infrastructure "
        "for research."
    ),
    "introduction": (
        "<p>Our work has helped shape how people around the world talk about, fund and govern "
        "the digital infrastructure that research depends on.</p>"
    ),
    "highlights": [
        {
            "figure": "Policy",
            "label": "Shaping policy and funding models",
            "description": (
                "Our work has contributed to changes in policy and in how institutions and "
                "philanthropic organisations fund open infrastructure."
            ),
            "source_url": IMPACT_URL,
            "source_title": "IOI's impact",
        },
        {
            "figure": "10+",
            "label": "Organisations supported",
            "description": (
                "We have supported more than ten organisations with strategic guidance and help "
                "in finding funding."
            ),
            "source_url": IMPACT_URL,
            "source_title": "IOI's impact",
        },
        {
            "figure": "Cited",
            "label": "Research used across the field",
            "description": (
                "Our published research is cited widely by people working in open science and "
                "open infrastructure."
            ),
            "source_url": IMPACT_URL,
            "source_title": "IOI's impact",
        },
    ],
    "body": [
        (
            "statistics",
            {
                "heading": "Convening the community",
                "statistics": [
                    {"figure": "80+", "label": "Participants at the 2022 Funders Summit"},
                    {"figure": "115+", "label": "Leaders consulted for Future of Open Scholarship"},
                    {"figure": "75+", "label": "Organisations behind Future of Open Scholarship"},
                    {"figure": "18", "label": "Countries in Future of Open Scholarship"},
                ],
            },
        ),
        (
            "paragraph",
            (
                "<p>At the 2022 Funders Summit, 36 participants decided together how to allocate "
                "$130,000 through participatory budgeting. The <em>Future of Open Scholarship</em> "
                "report was published in July 2021.</p>"
            ),
        ),
    ],
    # Only figures from ioi-facts.md; the "about" figures are said to be approximate.
    "datasets": [
        {
            "title": "Grants tracked by the State of Open Infrastructure",
            "slug": "soi-grants-tracked",
            "takeaway": "The 2025 edition tracks 641 grants, up from 514 in the 2024 edition.",
            "chart": "bar",
            "unit": "grants",
            "columns": ["Edition", "Grants tracked"],
            "rows": [["2024 edition", "514"], ["2025 edition", "641"]],
            "source": {
                "page": "state-of-open-infrastructure-2025",
                "title": "State of Open Infrastructure 2025",
            },
        },
        {
            "title": "Funding tracked by the State of Open Infrastructure",
            "slug": "soi-funding-tracked",
            "takeaway": (
                "The 2025 edition tracks about US$550 million in grants (2001 to 2024), up from "
                "about US$415.8 million in the 2024 edition."
            ),
            "chart": "bar",
            "unit": "US$ millions (approximate)",
            "columns": ["Edition", "Funding tracked"],
            "rows": [["2024 edition", "415.8"], ["2025 edition", "550"]],
            "source": {
                "page": "state-of-open-infrastructure-2025",
                "title": "State of Open Infrastructure 2025",
            },
        },
        {
            "title": "Open Infrastructure Fund pilot: from applications to awards",
            "slug": "oi-fund-pilot",
            "takeaway": (
                "197 applications from 51 countries reached the pilot fund, and 8 projects "
                "were funded."
            ),
            "chart": "horizontal_bar",
            "unit": "applications, countries or projects",
            "columns": ["Measure", "Open Infrastructure Fund pilot"],
            "rows": [
                ["Applications", "197"],
                ["Countries", "51"],
                ["Projects funded", "8"],
            ],
            "source": {
                "page": "open-infrastructure-fund-pilot",
                "title": "What the Open Infrastructure Fund pilot showed",
            },
        },
    ],
}

CONTACT = {
    "title": "Contact",
    "slug": "contact",
    "search_description": (
        "Contact Invest in Open Infrastructure about research, strategic support or "
        "collaboration on open infrastructure."
    ),
    "introduction": (
        "<p>We welcome questions about our research and ideas for working together. Email us "
        f"at <strong>{CONTACT_EMAIL}</strong> and we will reply as soon as we can.</p>"
        "<p>You can also find more about us on the "
        '<a href="https://investinopen.org/">Invest in Open Infrastructure website</a>.</p>'
    ),
    "body": [
        (
            "paragraph",
            (
                "<p>If your question is about coordinated funds or funding partnerships, you can "
                "write to <strong>engagement@investinopen.org</strong>.</p>"
            ),
        ),
        (
            "link_list",
            {
                "heading": "Stay informed",
                "links": [{"title": "Sign up for the IOI newsletter", "url": NEWSLETTER_URL}],
            },
        ),
    ],
}

ABOUT = {
    "title": "About IOI",
    "slug": "about",
    "search_description": (
        "Who we are: a non-profit helping institutions and funders sustain open infrastructure "
        "for research, since 2018."
    ),
    "introduction": (
        "Invest in Open Infrastructure is a non-profit that helps the research community fund "
        "and sustain the open tools and systems it relies on."
    ),
    "body": [
        ("heading", {"text": "Our story", "level": "h2"}),
        (
            "paragraph",
            (
                "<p>IOI grew out of a coalition formed at a 2018 meeting about open research "
                "infrastructure. Our website went live in May 2019, and since October 2019 we have "
                "operated under fiscal sponsorship.</p>"
            ),
        ),
        ("heading", {"text": "Our mission", "level": "h2"}),
        (
            "paragraph",
            (
                "<p>We help research institutions and funders put their money into the open "
                "technology and systems behind research. We do this through evidence, practical "
                "guidance and funding that is coordinated across many contributors.</p>"
            ),
        ),
        ("heading", {"text": "Who we work with", "level": "h2"}),
        (
            "paragraph",
            (
                "<p>Our work is for funders, librarians, researchers and the people who provide "
                "infrastructure. We offer strategic support, research and ways to collaborate, "
                "though we do not build tools ourselves.</p>"
            ),
        ),
    ],
}

ACCESSIBILITY = {
    "title": "Accessibility statement",
    "slug": "accessibility",
    "search_description": (
        "How we make this website accessible, its known limitations and how to report an "
        "accessibility problem."
    ),
    "introduction": (
        "We want everyone to be able to use this website, including people who rely on "
        "assistive technology. This statement explains what we do and where we fall short."
    ),
    "body": [
        ("heading", {"text": "Our commitment", "level": "h2"}),
        (
            "paragraph",
            (
                "<p>We aim to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA, "
                "and we check new pages and features against them.</p>"
            ),
        ),
        ("heading", {"text": "How the site is built", "level": "h2"}),
        (
            "paragraph",
            (
                "<p>In practice this means:</p>"
                "<ul><li>Pages use semantic HTML with a logical heading order.</li>"
                "<li>Everything works without JavaScript.</li>"
                "<li>All features can be used with a keyboard and with screen readers.</li>"
                "<li>Keyboard focus is always clearly visible.</li>"
                "<li>Text can be resized up to 200% without loss of content.</li>"
                "<li>Links are written to make sense when read on their own.</li></ul>"
            ),
        ),
        ("heading", {"text": "Known limitations", "level": "h2"}),
        (
            "paragraph",
            (
                "<p>Some documents and websites we link to are produced by others and may not be "
                "fully accessible, including some PDF reports hosted elsewhere. If you "
                "need any of this material in another format, please ask.</p>"
            ),
        ),
        ("heading", {"text": "Reporting a problem", "level": "h2"}),
        (
            "paragraph",
            (
                "<p>If you find something on this site hard to use, please email "
                f"<strong>{CONTACT_EMAIL}</strong>. Tell us the page address and what went wrong, "
                "and we will do our best to fix it or provide the information another way.</p>"
                "<p>This statement was last reviewed in November 2026.</p>"
            ),
        ),
    ],
}

# People and teams the public can reach. "purpose" names one of the purposes the pages app's
# migration creates. The first is the primary contact.
CONTACTS = [
    {
        "name": "General enquiries",
        "role": "Invest in Open Infrastructure",
        "email": CONTACT_EMAIL,
        "purpose": "General",
    },
    {
        "name": "Engagement team",
        "role": "Partnerships, collaborations and funds",
        "email": "engagement@investinopen.org",
        "purpose": "Partnerships and engagement",
    },
    {
        "name": "Funding enquiries",
        "role": "Engagement team",
        "email": "engagement@investinopen.org",
        "purpose": "Funding",
    },
]

PRIVACY = {
    "title": "Privacy notice",
    "slug": "privacy",
    "search_description": "What personal data the IOI website collects, why, and how long it is kept.",
    "introduction": (
        "This notice explains what happens to personal data you give us through this website, "
        "mainly through the contact form."
    ),
    "body": [
        ("heading", {"text": "What we collect", "level": "h2"}),
        (
            "paragraph",
            "<p>When you use the contact form we receive your name, your email address, the topic "
            "you chose and your message. Reading the site does not need any of these, and the "
            "public pages set no tracking cookies.</p>",
        ),
        ("heading", {"text": "Why we use it", "level": "h2"}),
        (
            "paragraph",
            "<p>We use your message only to answer you and, where you ask for it, to follow up "
            "on the conversation. It goes to the member of staff who handles that topic. We do "
            "not sell it or share it with anyone else.</p>",
        ),
        ("heading", {"text": "How long we keep it", "level": "h2"}),
        (
            "paragraph",
            "<p>Messages are deleted automatically one year after we receive them. You can ask "
            "us to delete yours sooner.</p>",
        ),
        ("heading", {"text": "Your rights", "level": "h2"}),
        (
            "paragraph",
            f"<p>You can ask to see, correct or delete what we hold about you by writing to "
            f"{CONTACT_EMAIL}.</p>",
        ),
    ],
}

RESOURCES = {
    "title": "Resources",
    "slug": "resources",
    "search_description": "Reports, research and news from Invest in Open Infrastructure, in one place.",
    "introduction": (
        "<p>Our work, research and news in one place. Choose a category to narrow the list.</p>"
    ),
}

# The library's categories by slug, named as the migration that makes them names them
# (pages/0006): a flushed database gets them back with the same names.
LINK_CATEGORY_NAMES = {"ioi-work": "IOI work", "reports": "Reports and research", "news": "News"}

# Every external address the seeded pages use becomes a Link in the library, so that it is
# checked and can be changed in one place. Keyed by address: title, category slug, description.
LINKS = {
    WORK_URL: (
        "IOI's work with open infrastructure projects",
        "ioi-work",
        "How IOI supports the projects and institutions behind open infrastructure.",
    ),
    IMPACT_URL: (
        "Evidence of IOI's impact",
        "reports",
        "What IOI's research, guidance and funding have changed.",
    ),
    NEWSLETTER_URL: (
        "IOI newsletter",
        "news",
        "News and updates from IOI by email.",
    ),
}

# Research and news. No real person's name is invented: the organisation is the author of
# everything seeded. No DOI or figure appears that the seed documents do not give.
IOI = "Invest in Open Infrastructure"

RESEARCH_INDEX = {
    "key": "research-index",
    "title": "Research",
    "slug": "research",
    "search_description": (
        "IOI's reports, landscape scans and briefs on how open research infrastructure is "
        "funded, governed and sustained. Free to read, download and cite."
    ),
    "introduction": (
        "<p>Our research looks at how the open infrastructure behind research is funded, run and "
        "kept going, so that funders and institutions can decide where their support will count. "
        "Everything here is free to read, download and cite.</p>"
    ),
}

PUBLICATIONS = [
    {
        "title": "State of Open Infrastructure 2025",
        "slug": "state-of-open-infrastructure-2025",
        "publication_type": "report",
        "published_on": (2025, 1, 1),
        "published_precision": "year",
        "abstract": (
            "The 2025 edition of our yearly report follows the money behind open research "
            "infrastructure. It analyses 641 grants, worth about $550M in all, awarded between "
            "2001 and 2024, and asks which services receive steady support, which rely on "
            "short-term grants, and where funders could act together."
        ),
        "body": [
            ("heading", {"text": "What the report covers", "level": "h2"}),
            (
                "paragraph",
                (
                    "<p>Building on the previous edition, this report widens the set of grants "
                    "it tracks and looks further back in time. It is meant for funders, "
                    "librarians and the teams who run open infrastructure, and for anyone who "
                    "wants evidence rather than anecdote about how this work is paid for.</p>"
                ),
            ),
            (
                "statistics",
                {
                    "heading": "The edition in figures",
                    "statistics": [
                        {"figure": "641", "label": "Grants analysed"},
                        {"figure": "About $550M", "label": "Funding covered"},
                        {"figure": "2001–2024", "label": "Years covered"},
                    ],
                },
            ),
        ],
        "authors": [{"organisation": IOI}],
        "related_initiatives": ["research"],
    },
    {
        "title": "State of Open Infrastructure 2024",
        "slug": "state-of-open-infrastructure-2024",
        "publication_type": "report",
        "published_on": (2024, 1, 1),
        "published_precision": "year",
        "abstract": (
            "Our 2024 report on how open infrastructure for research is funded. It brings "
            "together 514 grants from 23 funders, about $415.8M in all, to show where support "
            "goes, how long it lasts and where the gaps are."
        ),
        "body": [
            ("heading", {"text": "Why it matters", "level": "h2"}),
            (
                "paragraph",
                (
                    "<p>Open infrastructure is used by everyone and paid for by few. By putting "
                    "grants from many funders side by side, the report makes it possible to see "
                    "the whole picture rather than one funder's share of it.</p>"
                ),
            ),
            (
                "statistics",
                {
                    "heading": "The edition in figures",
                    "statistics": [
                        {"figure": "514", "label": "Grants analysed"},
                        {"figure": "23", "label": "Funders"},
                        {"figure": "About $415.8M", "label": "Funding covered"},
                    ],
                },
            ),
        ],
        "authors": [{"organisation": IOI}],
        "related_initiatives": ["research"],
    },
    {
        "title": "The Future of Open Scholarship",
        "slug": "future-of-open-scholarship",
        "publication_type": "report",
        "published_on": (2021, 7, 1),
        "published_precision": "month",
        "abstract": (
            "What do the people who lead research institutions, libraries and infrastructure "
            "projects think open scholarship needs next? This report gathers the views of more "
            "than 115 leaders from over 75 organisations in 18 countries, and draws out the "
            "priorities they share for funding and governing open infrastructure."
        ),
        "body": [
            (
                "paragraph",
                (
                    "<p>The consultation behind this report listened to a wide range of voices: "
                    "funders, librarians, researchers and the people who build and run "
                    "infrastructure. Its findings shaped the direction of our later work.</p>"
                ),
            ),
        ],
        "authors": [{"organisation": IOI}],
        "related_initiatives": ["research", "collaboration"],
    },
]

NEWS_INDEX = {
    "key": "news-index",
    "title": "News",
    "slug": "news",
    "search_description": (
        "News and updates from Invest in Open Infrastructure: our funds, programmes, research "
        "and tools."
    ),
    "introduction": (
        "<p>Updates on our funds and programmes, new research and the tools we build for the "
        "open infrastructure community.</p>"
    ),
}

NEWS_POSTS = [
    {
        "title": "A founding group of funders commits US$2.7M to the IOI Fund for Network Adoption",
        "slug": FUND_POST_SLUG,
        "summary": (
            "A new coordinated fund will help regional research and education networks adopt "
            "open infrastructure, starting with two inaugural grantees."
        ),
        "body": [
            (
                "paragraph",
                (
                    "<p>A founding group of funders has committed US$2.7M to the IOI Fund for "
                    "Network Adoption. The fund supports regional networks that want to adopt "
                    "open infrastructure and share it with the institutions they serve.</p>"
                    "<p>The call for applications drew more than 100 applications from 22 "
                    "countries. The first two grantees are LA Referencia and the UbuntuNet "
                    "Alliance, each of which can receive up to US$1.5M.</p>"
                ),
            ),
        ],
        "authors": [{"organisation": IOI}],
        "tags": ["funding", "Fund for Network Adoption"],
        "related_initiatives": ["collaboration"],
        "related_publications": [],
    },
    {
        "title": "What the Open Infrastructure Fund pilot showed",
        "slug": "open-infrastructure-fund-pilot",
        "summary": (
            "Our participatory pilot fund shared US$130,000 between eight projects, chosen from "
            "197 applications in 51 countries."
        ),
        "body": [
            (
                "paragraph",
                (
                    "<p>The Open Infrastructure Fund pilot tried a different way of giving: the "
                    "community took part in deciding where the money went. It supported capacity "
                    "building, community governance and critical shared infrastructure, with 60% "
                    "of the funds set aside for projects in low- and middle-income economies.</p>"
                    "<p>Applications were open in English and in Spanish. We received 197 of "
                    "them, from 51 countries, and eight projects were funded.</p>"
                ),
            ),
        ],
        "authors": [{"organisation": IOI}],
        "tags": ["funding", "Open Infrastructure Fund"],
        "related_initiatives": ["collaboration"],
        "related_publications": [],
    },
    {
        "title": "Infra Finder: compare open infrastructure services side by side",
        "slug": "infra-finder",
        "summary": (
            "Infra Finder helps institutions discover open infrastructure services and compare "
            "two to four of them at a time."
        ),
        "body": [
            (
                "paragraph",
                (
                    "<p>Choosing which open infrastructure to support or adopt is hard when the "
                    "information is scattered. Infra Finder, launched in January 2024, brings it "
                    "together in one catalogue, and lets you set two to four services side by "
                    "side.</p>"
                    "<p>By 2025 the catalogue had grown to more than 100 entries.</p>"
                ),
            ),
        ],
        "authors": [{"organisation": IOI}],
        "tags": ["Infra Finder", "tools"],
        "related_initiatives": ["research"],
        "related_publications": [],
    },
    {
        "title": "Reading the State of Open Infrastructure 2025",
        "slug": "reading-the-state-of-open-infrastructure-2025",
        "summary": (
            "Our yearly report now covers 641 grants and about $550M of funding for open "
            "infrastructure, from 2001 to 2024."
        ),
        "body": [
            (
                "paragraph",
                (
                    "<p>The 2025 edition of the State of Open Infrastructure tracks more grants "
                    "over a longer period than ever: 641 of them, worth about $550M, awarded "
                    "between 2001 and 2024. Read it, download it or cite it from its page in our "
                    "research section.</p>"
                ),
            ),
        ],
        "authors": [{"organisation": IOI}],
        "tags": ["research", "State of Open Infrastructure"],
        "related_initiatives": ["research"],
        "related_publications": ["state-of-open-infrastructure-2025"],
    },
]

PEOPLE_INDEX = {
    "key": "people-index",
    "title": "People",
    "slug": "people",
    "search_description": "The people who write IOI's research and news.",
    "introduction": "<p>The people behind our research and news, and what each has written.</p>",
}
