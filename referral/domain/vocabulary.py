"""The trade thesaurus and abbreviation table used by matching.

``TRADES`` and ``CLIENTELES`` map a readable concept label to the phrases that mean it. Matching turns every
phrase found in a text (after the same tokenising and stemming as everything else) into the
concept, so "do my books" and "bookkeeping" meet on *bookkeeping*, and "the little symbol,
the colours and the fonts" and "logo design" meet on *brand identity*. A phrase of several
words matches when its words appear in order with at most two other words between them.
Trades (what someone does) are matched between needs and specialties, clienteles (whom they
serve) between the client's situation and target clientele; both sides of a match use the same
table, so a concept only needs its phrases listed once.

``ABBREVIATIONS`` expands shorthand before phrases are found ("CPA" -> "certified public
accountant"). Abbreviations that are also ordinary words ("IT", "PR", "SAT") only count when
written in capitals (``CAPITALS_ONLY``).
"""

from __future__ import annotations

__all__ = ["ABBREVIATIONS", "CAPITALS_ONLY", "CLIENTELES", "TRADES"]

ABBREVIATIONS: dict[str, str] = {
    # marketing and sales
    "seo": "search engine optimisation", "sem": "search engine marketing paid search",
    "ppc": "pay per click advertising", "cpc": "cost per click advertising", "cro": "conversion rate optimisation",
    "smm": "social media marketing", "pr": "public relations media relations", "b2b": "business to business",
    "b2c": "business to consumer", "d2c": "direct to consumer", "dtc": "direct to consumer",
    "crm": "customer relationship management", "cms": "content management system", "kpi": "performance metrics",
    "roi": "return on investment", "ugc": "user generated content", "gbp": "google business profile",
    "cta": "call to action", "ctr": "click through rate", "sms": "text message marketing",
    # money
    "cpa": "certified public accountant (accounts and tax)", "acca": "chartered certified accountant", "cfo": "chief financial officer",
    "vat": "value added tax", "gst": "goods and services tax", "irs": "internal revenue service tax",
    "hmrc": "tax authority", "p&l": "profit and loss accounts", "r&d": "research and development",
    "ap": "accounts payable", "ar": "accounts receivable", "ipo": "initial public offering", "vc": "venture capital",
    "m&a": "mergers and acquisitions", "fp&a": "financial planning and analysis", "ifa": "financial adviser",
    "ifrs": "financial reporting", "gaap": "accounting standards", "fbar": "foreign bank account reporting",
    # law and people
    "ip": "intellectual property", "nda": "non disclosure agreement", "llc": "company formation",
    "gdpr": "data protection", "hr": "human resources", "l&d": "learning and development",
    "dei": "diversity and inclusion", "poa": "power of attorney", "lpa": "lasting power of attorney",
    "eeoc": "discrimination claims", "h1b": "work visa", "h-1b": "work visa", "esop": "employee share options",
    "ceo": "chief executive", "coo": "chief operating officer", "cto": "chief technology officer",
    # technology
    "ux": "user experience design", "ui": "user interface design", "qa": "quality assurance software testing",
    "it": "information technology computer support", "saas": "software as a service", "api": "application programming interface",
    "aws": "amazon web services cloud", "gcp": "google cloud", "devops": "development operations",
    "ci": "continuous integration", "cd": "continuous delivery", "erp": "enterprise resource planning",
    "ai": "artificial intelligence", "ml": "machine learning", "llm": "large language model artificial intelligence",
    "bi": "business intelligence reporting dashboards", "etl": "data pipelines", "sql": "database queries",
    "mvp": "minimum viable product", "cad": "computer aided design drawings", "bim": "building information modelling",
    "vpn": "virtual private network", "wifi": "wi fi wireless network", "m365": "microsoft 365",
    "o365": "microsoft 365", "pos": "point of sale", "iot": "internet of things", "ar/vr": "augmented virtual reality",
    "vr": "virtual reality", "3d": "three dimensional", "soc2": "security compliance audit",
    "pentest": "penetration testing", "wp": "wordpress", "woo": "woocommerce", "ecom": "ecommerce",
    # people, health, education
    "va": "virtual assistant", "pa": "personal assistant", "ea": "executive assistant", "cv": "curriculum vitae resume",
    "esl": "english as a second language", "efl": "english as a foreign language", "tefl": "english teaching",
    "ielts": "english language test", "toefl": "english language test", "gcse": "secondary school exams",
    "sat": "college admission test", "act": "college admission test", "gre": "graduate admission test",
    "gmat": "business school admission test", "sen": "special educational needs", "send": "special educational needs",
    "adhd": "attention deficit learning differences", "asd": "autism", "cbt": "cognitive behavioural therapy",
    "ot": "occupational therapy", "pt": "physical therapy", "slp": "speech language therapy",
    "emr": "electronic medical records", "ehr": "electronic health records", "phd": "doctoral research thesis",
    "msc": "masters degree", "mba": "business school", "hvac": "heating ventilation air conditioning",
    "diy": "do it yourself", "f&b": "food and beverage hospitality", "nyc": "new york", "uk": "united kingdom", "us": "united states american", "usa": "united states american",
    "npo": "nonprofit", "ngo": "non governmental organisation charity", "cic": "community interest company",
    "pto": "parent teacher association", "hoa": "homeowners association", "airbnb": "holiday rental",
    "bnb": "bed and breakfast", "b&b": "bed and breakfast", "smb": "small business", "sme": "small and medium business",
    "smes": "small and medium businesses",
}

#: Abbreviations that are also everyday words: only expanded when written in capitals.
CAPITALS_ONLY = frozenset({"us", "it", "pa", "ot", "pt", "sat", "act", "ap", "ar", "ai", "send", "cd", "ci", "ea", "pos",
                           "ip", "pr", "va", "sen", "woo", "wp"})

#: What people do: matched between the client's needs and a colleague's specialties.
TRADES: dict[str, str] = {
    # --- money -------------------------------------------------------------------------------------
    "bookkeeping": "bookkeeping; bookkeeper; book keeping; do books; keep books; books every; books monthly; "
                   "books in order; ledger; bank reconciliation; reconcile; xero; quickbooks; sage; receipts; "
                   "month end close; accounts payable; accounts receivable; catch up accounts",
    "accounting": "accounting; accountant; accounts; certified public accountant; chartered accountant; cpa; "
                  "annual accounts; year end accounts; financial statements; profit and loss; balance sheet; "
                  "statutory accounts",
    "tax": "tax; taxes; tax return; tax filing; federal return; tax planning; vat; sales tax; irs; hmrc; "
           "self assessment; deductions; tax credits",
    "payroll": "payroll; payslips; wages; salaries; pay staff; pay employees; pension contributions",
    "audit": "audit; auditor; independent examination; audit preparation; assurance",
    "financial planning": "financial planning; cash flow; cashflow; forecast; budgeting; financial model; "
                          "fractional cfo; chief financial officer; finance director; runway; unit economics",
    "fundraising": "fundraising; raise money; raise capital; investors; investor; seed round; series a; "
                   "venture capital; pitch deck; term sheet; angel; funding round; due diligence",
    "grants": "grant; grants; funding application; funder; foundation funding; bid writing; lottery funding",
    "expat": "expat; expatriate; abroad; overseas; foreign income; cross border; living abroad; moved to; "
             "non resident; nonresident; emigrated; dual citizen; citizens overseas; americans overseas; "
             "americans abroad; live in; living in; relocated; relocating; moved abroad; moving abroad; "
             "us citizen; uk citizen; british citizen; foreign; income abroad; "
             "international move",
    "wealth management": "financial adviser; financial advisor; wealth; investments; pension; retirement savings; "
                         "portfolio",
    "insurance": "insurance; insurer; insurance companies; insured; claims; reimbursement",
    "medical billing": "medical billing; insurance billing; insurance claims; claims; credentialing; "
                       "billing codes; coding; get paid by insurance; reimbursement; superbill",
    "mortgage": "mortgage; home loan; remortgage; lender",
    "invoicing": "invoicing; invoices; billing; credit control; chasing payments",
    # --- law ---------------------------------------------------------------------------------------
    "law": "law; legal; lawyer; attorney; solicitor; barrister; counsel; legal advice; paralegal; court; "
           "tribunal; sue; lawsuit; litigation",
    "immigration law": "immigration; visa; visas; work permit; spousal visa; spouse visa; family visa; "
                       "green card; residence permit; citizenship; naturalisation; sponsor; sponsorship; "
                       "asylum; deportation; work visa",
    "family law": "family law; divorce; separation; separating; custody; child arrangements; arrangements "
                  "children; child support; maintenance; prenup; prenuptial; mediation; living apart; "
                  "split up; husband; wife",
    "employment law": "employment law; employment tribunal; tribunal; dismissal; dismissed; fired; sacked; "
                      "unfair dismissal; grievance; disciplinary; redundancy; let go; let staff go; layoffs; "
                      "lay off; restructuring; settlement agreement; discrimination; harassment; whistleblowing; "
                      "employment contract",
    "redundancy": "redundancy; redundancies; let go; let staff go; layoffs; lay off; restructuring; "
                  "downsizing; job cuts; make redundant",
    "dismissal claims": "unfair dismissal; dismissed; fired; sacked; wrongful termination; grievance; "
                        "constructive dismissal; challenge dismissal",
    "intellectual property": "intellectual property; trademark; trade mark; patent; copyright; infringement; "
                             "brand name; protect name; protect our name; register name; invention; "
                             "licensing; brand protection; cease and desist",
    "conveyancing": "conveyancing; conveyancer; property purchase; buying house; buying home; buy house; "
                    "purchase house; house purchase; sale of house; title; completion; exchange contracts; "
                    "lease; leases; leasehold; freehold; remortgage",
    "estate planning": "estate planning; will; wills; testament; trust; trusts; power of attorney; "
                       "lasting power; affairs in order; who gets house; inheritance; decide for her; "
                       "decide for him; lose capacity; no longer can; guardianship; executor",
    "probate": "probate; estate administration; executor; inheritance; deceased; death; died; passed away; "
               "bereavement; father death; mother death; inheritance dispute; contest will",
    "corporate law": "corporate law; company law; company formation; incorporate; incorporation; "
                     "shareholder agreement; shareholders; founders agreement; term sheet; cap table; "
                     "articles of association; equity; vesting; convertible note; safe note; commercial contracts",
    "contracts": "contract; contracts; agreement; terms and conditions; terms of service; nda; "
                 "non disclosure; review terms; draft agreement",
    "data protection": "data protection; gdpr; privacy policy; privacy; data breach; compliance",
    "litigation": "litigation; dispute; disputes; sue; lawsuit; claim; court case; debt recovery",
    "landlord tenant": "landlord; tenant; tenancy; eviction; rent arrears; lettings",
    "personal injury": "personal injury; accident; injury claim; compensation claim; whiplash",
    "criminal law": "criminal; arrested; police; charged with; defence lawyer; dui; drink driving",
    # --- pictures, sound, video --------------------------------------------------------------------
    "photography": "photography; photographer; photos; photo; photographs; pictures; shoot; photoshoot; "
                   "images; camera",
    "wedding photography": "wedding photography; wedding photographer; wedding photos; engagement shoot; "
                           "elopement; ceremony photos; candid shots",
    "portrait photography": "headshots; headshot; portraits; portrait; profile photos; team photos; "
                            "photos of staff; photos of lawyers; bio photos; photos of our team; "
                            "linkedin photos; corporate photos",
    "product photography": "product photography; product photos; packshots; packshot; ecommerce images; "
                           "product images; catalogue photos; white background",
    "property photography": "real estate photography; property photos; listing photos; homes for sale; "
                            "architectural photography; interiors photos; virtual tour; floor plans; "
                            "drone aerials; drone",
    "food photography": "food photography; menu photos; dish photos; cookbook; recipe photos",
    "video production": "video; videography; videographer; filming; film; promo video; explainer video; "
                        "video editing; youtube; reels; motion graphics; animation",
    "audio production": "podcast; podcasting; audio; audio editing; sound editing; mixing; mastering; "
                        "voiceover; voice over; episode; episodes; show notes; interview show; audiobook",
    # --- web and software --------------------------------------------------------------------------
    "website": "website; websites; web site; site; web design; web designer; web developer; landing page; "
               "homepage; pages; redesign; website redesign; web pages; domain; hosting",
    "wordpress": "wordpress; woocommerce; elementor; divi; wordpress plugin; wordpress theme",
    "online store": "online store; online shop; ecommerce; ecommerce store; webshop; shopify; woocommerce; "
                    "bigcommerce; checkout; product pages; subscriptions; sell online; store build",
    "web application": "web application; web app; saas; software as a service; dashboard; dashboards; "
                       "react; node; frontend; backend; full stack; javascript; typescript; python; django; "
                       "rails; platform build; portal; software product",
    "mobile app": "mobile app; app; apps; iphone app; android app; ios; android; flutter; react native; "
                  "app store; play store; swift; kotlin",
    "software development": "software development; software developer; programmer; coding; developer; "
                            "bespoke software; custom software; build software; integration; integrations; "
                            "application programming interface; automation; scripts",
    "software testing": "software testing; testing; tester; quality assurance; test plans; test automation; "
                        "automated tests; regression tests; regression testing; bug; bugs; selenium; cypress; "
                        "playwright; release testing; test cases",
    "cloud infrastructure": "cloud; amazon web services; azure; google cloud; devops; kubernetes; docker; "
                            "servers; infrastructure; deployment; continuous integration; continuous delivery; "
                            "pipelines; migration to cloud; terraform; hosting",
    "data analytics": "data analysis; analytics; dashboards; business intelligence; reporting; data pipelines; "
                      "spreadsheets; excel; power bi; tableau; data science; database; sql",
    "artificial intelligence": "artificial intelligence; machine learning; chatbot; large language model; "
                               "chatgpt; automation with ai; predictive model",
    "it support": "it support; information technology; computer support; computer; computers; network support; "
                  "network; networks; wi fi; wireless; office wifi; printer; printers; helpdesk; help desk; "
                  "laptops; devices; device management; microsoft 365; office 365; google workspace; backups; "
                  "backup; email setup; managed services; tech support",
    "cybersecurity": "cybersecurity; cyber security; security; penetration testing; pen test; pentest; "
                     "vulnerability; hacked; hack; malware; ransomware; phishing; security audit; iso 27001; "
                     "soc 2; security compliance; firewall",
    "enterprise resource planning": "enterprise resource planning; erp; sap; netsuite; odoo; dynamics; "
                                    "inventory management; stock control; production planning; mrp; "
                                    "supply chain system",
    "crm": "customer relationship management; crm; salesforce; hubspot; pipedrive; zoho; sales pipeline; "
           "deals; leads; lead tracking; contacts database; track deals; losing leads",
    # --- design ------------------------------------------------------------------------------------
    "graphic design": "graphic design; graphic designer; design; designer; layout; flyers; posters; "
                      "brochures; print design; illustrator; indesign; canva; visuals",
    "brand identity": "brand identity; branding; brand; rebrand; rebranding; logo; logos; logo design; "
                      "visual identity; brand guidelines; style guide; symbol; emblem; icon; colours; fonts; "
                      "typeface; colour palette; look and feel; create look; new look; identity",
    "ux design": "user experience; user experience design; user interface; user interface design; usability; "
                 "user research; wireframes; prototypes; prototype; interface; onboarding; figma; "
                 "ux audit; app design; drop off; user testing; accessibility; easier to use; easy to use; "
                 "hard to use; difficult to use; user friendly; confusing; get lost; navigation; sign up flow; "
                 "checkout flow; conversion drop",
    "packaging design": "packaging; packaging design; labels; label design; cans; bottles; boxes; "
                        "multipack; print production; die line; shelf",
    "book design": "book cover; cover design; front cover; spine; typesetting; interior layout; book layout; "
                   "lay out pages; inside pages; ebook formatting; ebook; paperback; print layout; "
                   "self publish; self publishing; kdp; amazon publishing",
    "interior design": "interior design; interior designer; interiors; space planning; furniture; "
                       "home staging; decor; decorating; refurbishment; fit out; renovation",
    "illustration": "illustration; illustrator; drawings; drawing; artwork; comics; children's book illustration",
    "fashion design": "fashion design; clothing; apparel; garments; pattern making; textiles",
    # --- words and languages -----------------------------------------------------------------------
    "copywriting": "copywriting; copywriter; copy; sales page; sales copy; landing page copy; email sequence; "
                   "launch copy; conversion copywriting; website copy; product descriptions; ad copy; "
                   "tagline; slogan",
    "content writing": "content writing; content writer; blog; blog posts; articles; whitepapers; "
                       "white papers; case studies; thought leadership; newsletter content; content marketing; "
                       "ebooks",
    "technical writing": "technical writing; technical writer; documentation; api documentation; user manuals; "
                         "manuals; user guides; knowledge base; help articles; developer docs; "
                         "instructions; standard operating procedures",
    "grant writing": "grant writing; grant writer; grant application; grant applications; funding applications; "
                     "bid writing; funding bids; impact reports; proposals to funders; apply for grants",
    "ghostwriting": "ghostwriting; ghostwriter; ghost writer; memoir; autobiography; write my book; "
                    "write book; manuscript; book editing; life story; biography",
    "editing": "editing; editor; proofreading; proofreader; proof read; copy editing; copyediting; "
               "line editing; academic editing; thesis; dissertation; manuscript; typos; grammar",
    "translation": "translation; translator; translate; translated; translating; certified translation; "
                   "sworn translation; interpreter; interpreting; bilingual; into english; from english; "
                   "english version; localisation",
    "localisation": "localisation; localization; localise; game localisation; app localisation; dialogue; "
                    "subtitles; subtitling; strings; video game; game",
    "cv writing": "curriculum vitae; resume; cv writing; cover letter; linkedin profile; job applications",
    # --- marketing ---------------------------------------------------------------------------------
    "seo": "search engine optimisation; search optimisation; seo; search ranking; ranking on google; rank on google; "
           "rank higher; google ranking; show up on google; found on google; nobody finds us; "
           "organic traffic; keyword research; keywords; link building; backlinks; technical site audit; "
           "search visibility; search results; show up higher; people search",
    "local seo": "local search optimisation; local seo; google business profile; google maps; map pack; "
                 "citations; citation building; google reviews; online reviews; customer reviews; review management; "
                 "more reviews; near me; people nearby; "
                 "nearby; local search; local customers",
    "paid advertising": "pay per click advertising; pay per click; paid search; paid ads; google ads; "
                        "adwords; meta ads; facebook ads; instagram ads; linkedin ads; ad spend; ad campaigns; "
                        "campaigns; cost per lead; cost per click; advertising; ads; retargeting; "
                        "search engine marketing",
    "social media": "social media; social media management; social media marketing; instagram; tiktok; "
                    "facebook; linkedin; twitter; pinterest; youtube; posts; posting; post for us; "
                    "community management; followers; comments; replying comments; content calendar; reels; "
                    "influencer; influencers",
    "public relations": "public relations; media relations; press; press release; press releases; journalists; "
                        "media coverage; publicity; crisis communications; reputation; press coverage; "
                        "media interviews; founder profile",
    "email marketing": "email marketing; newsletter; newsletters; email campaigns; mailing list; klaviyo; "
                       "mailchimp; email automation; email list; drip campaign; abandoned cart",
    "marketing strategy": "marketing; marketing strategy; marketing plan; go to market; positioning; "
                          "growth marketing; brand awareness; customer acquisition; lead generation; leads",
    "market research": "market research; surveys; customer research; focus groups; competitor analysis",
    "sales": "sales; selling; sales training; sales process; business development; cold outreach; "
             "prospecting; sales team",
    # --- people and coaching -----------------------------------------------------------------------
    "human resources": "human resources; hr; people team; people operations; employee handbook; "
                       "staff handbook; handbook; policies; workplace policies; performance reviews; "
                       "annual reviews; appraisals; job descriptions; onboarding staff; nothing written down; "
                       "contracts of employment; staff management; team of",
    "recruitment": "recruitment; recruiter; recruiting; hiring; hire; headhunting; talent acquisition; "
                   "job ads; find staff; candidates",
    "executive coaching": "executive coaching; executive coach; leadership; leadership development; "
                          "leadership coaching; management coaching; new manager; team coaching; "
                          "senior managers; executives",
    "career coaching": "career coaching; career coach; career change; career changer; new career; "
                       "different job; land job; job search; job hunting; interview preparation; "
                       "interviews; cv; resume; linkedin; out of teaching; change careers; leave job",
    "life coaching": "life coaching; life coach; confidence; motivation; mindset; personal growth",
    "business coaching": "business coaching; business mentor; business strategy; consulting; consultant; "
                         "advisory; operations; scaling; growth strategy",
    "training": "training; workshops; workshop; courses; teaching staff; facilitation",
    # --- buildings ---------------------------------------------------------------------------------
    "architecture": "architecture; architect; architects; building design; planning permission; "
                    "planning application; building regulations; permit drawings; extension; loft conversion; "
                    "new build; renovation",
    "residential architecture": "residential architecture; home extension; house extension; extension; "
                                "loft conversion; loft; kitchen extension; new home; self build; house plans",
    "commercial architecture": "commercial architecture; office fit out; office fit outs; retail interiors; "
                               "shop fit; commercial building; office building; warehouse",
    "sustainable building": "sustainable; sustainability; passive house; passivhaus; energy efficiency; "
                            "energy efficient; energy retrofit; low energy; energy bills; insulation; "
                            "heat pump; solar; net zero; eco; green building; carbon",
    "construction": "construction; builder; builders; building work; contractor; contractors; renovation; "
                    "roofing; roofer; plumbing; plumber; electrician; electrical; joinery; joiner; carpentry; "
                    "landscaping; landscaper; tradespeople; tradesmen; trades",
    "surveying": "surveyor; survey; structural engineer; structural; damp; subsidence",
    "garden design": "garden design; landscape design; garden; gardens; planting; landscaping",
    # --- events and food ---------------------------------------------------------------------------
    "catering": "catering; caterer; caterers; buffet; banquet; banquets; menu; menus; canapes; seated dinner; "
                "dinner; lunches; food for guests; private chef; chef; cook; cooking; meals",
    "wedding": "wedding; weddings; bride; groom; engaged; engagement; ceremony; reception; elopement; "
               "marry; married; marriage; couple; couples",
    "event planning": "event planning; event planner; events; event; conference; conferences; summit; "
                      "venue; venues; offsite; offsites; retreat; product launch; launch party; gala; "
                      "hotel blocks; speakers; attendees; delegates; day of coordination",
    "corporate catering": "corporate catering; office lunches; conference catering; staff lunches; "
                          "working lunch",
    "plant based food": "plant based; vegan; vegetarian; dairy free; gluten free; festival food",
    "florist": "florist; flowers; floral; bouquets",
    "music and entertainment": "dj; band; musician; live music; entertainment; performer",
    # --- teaching ----------------------------------------------------------------------------------
    "tutoring": "tutoring; tutor; tutors; lessons; lesson; teaching; homework; exam preparation; revision; "
                "grades; study; studying; sessions with",
    "maths tutoring": "maths; math; mathematics; algebra; calculus; geometry; statistics; gcse maths; "
                      "a level maths; secondary school exams; college admission test",
    "language teaching": "english as a second language; english as a foreign language; esl; english lessons; "
                         "learn english; improve english; english language test; business english; "
                         "conversation practice; spanish lessons; french lessons; language lessons",
    "special educational needs": "special educational needs; dyslexia; dyslexic; dyscalculia; dyspraxia; "
                                 "learning difficulties; learning differences; learning disability; "
                                 "behind in reading; reading intervention; reading support; autism; "
                                 "attention deficit; phonics; letters jump",
    "music lessons": "music lessons; piano; guitar; singing; violin; music theory",
    # --- health and practices ----------------------------------------------------------------------
    "practice management": "private practice; practice management; practice management software; "
                           "clinic setup; set up practice; going out on my own; own practice; scheduling "
                           "software; notes software; practice software; business side; electronic health records; "
                           "electronic medical records; admin; going solo",
    "therapy": "therapy; therapist; psychotherapy; psychotherapist; counselling; counsellor; counselor; "
               "psychologist; mental health; cognitive behavioural therapy",
    "nutrition": "nutrition; nutritionist; dietitian; diet; meal plans; weight loss",
    "fitness": "fitness; personal trainer; personal training; gym; workout; exercise; yoga; pilates",
    "physiotherapy": "physiotherapy; physiotherapist; physio; physical therapy; sports injury; rehab",
    # --- admin -------------------------------------------------------------------------------------
    "virtual assistance": "virtual assistant; virtual assistance; personal assistant; executive assistant; "
                          "admin support; administrative; inbox; inbox management; email management; calendar; "
                          "diary management; scheduling; data entry; travel booking; errands; admin",
    "project management": "project management; project manager; coordination; timelines; deadlines; "
                          "agile; scrum; delivery",
    "cleaning": "cleaning; cleaner; cleaners; housekeeping; deep clean",
}

#: Whom people serve: matched between the client's situation and a colleague's target clientele.
CLIENTELES: dict[str, str] = {
    "hospitality": "hospitality; restaurant; restaurants; cafe; cafes; coffee; coffee shop; roastery; bar; bars; "
                   "pub; pubs; hotel; hotels; bistro; trattoria; bakery; bakeries; food service; takeaway; "
                   "brewery; catering business; food and beverage",
    "food and drink producers": "food and drink; food brands; food brand; drink; drinks; brewery; breweries; "
                                "craft beer; beer; beers; brewing; distillery; winery; wine; cider; coffee; "
                                "roastery; bakery; chocolate; snacks; sauces; food producer",
    "nonprofit": "nonprofit; non profit; charity; charities; charitable; foundation; foundations; "
                 "community group; community groups; social enterprise; non governmental organisation; ngo; "
                 "volunteers; trustees; youth club; community interest company",
    "startup": "startup; startups; start up; founders; founder; venture backed; venture capital; seed; "
               "pre seed; seed round; series a; scale up; scaleup; early stage; tech startup",
    "employer": "employer; employers; our staff; our employees; our team; staff; we employ; restructuring; "
                "let staff go; hire; hiring; workforce; headcount",
    "employee": "employee; employees; worker; workers; dismissed; fired; sacked; my manager; my boss; "
                "my employer; grievance; my job; workplace dispute; dispute with employer",
    "healthcare practice": "clinic; clinics; practice; medical practice; physicians; doctors; doctor; gp; "
                           "dentist; dentists; dental; dental practice; physiotherapy; physio; chiropractor; "
                           "optician; veterinary; vet; vets; health; healthcare; patients; hospital; hospitals",
    "therapy practice": "therapist; therapists; counsellor; counsellors; psychotherapy; psychotherapist; "
                        "therapy practice; wellness; wellness practice; coach; coaches; private practice",
    "trades": "tradespeople; tradesmen; trades; construction; builder; builders; roofing; roofer; plumber; "
              "plumbing; electrician; landscaping; landscaper; joinery; joiner; carpenter; decorator; "
              "contractor; contractors; lads; van; site; hvac",
    "small business": "small business; small businesses; small company; sole trader; sole traders; "
                      "freelancer; self employed; family run; family business; shop; shops; local business; "
                      "local service businesses; small and medium business; small offices",
    "retail": "retail; shop; shops; store; stores; boutique; hardware shop; high street; retailer",
    "ecommerce business": "ecommerce; online store; online shop; online shops; sell online; webshop; "
                          "direct to consumer; consumer brands; consumer brand; shopify; amazon seller; "
                          "online retailer; ecommerce sites",
    "consumer brand": "consumer brand; consumer brands; brand; brands; direct to consumer; skincare; beauty; "
                      "cosmetics; fashion; apparel; soap; candles; jewellery",
    "real estate": "real estate; estate agent; estate agents; estate agency; realtor; realtors; letting agent; "
                   "property; properties; listings; homes for sale; holiday rental; holiday lets; "
                   "short term rental; landlords; landlord",
    "homeowners": "homeowner; homeowners; home owners; our home; our house; my house; house; home; family home; "
                  "home buyers; first time buyers; housing",
    "professional firms": "law firm; law firms; lawyers; attorneys; solicitors; consultancy; consultancies; "
                          "accounting firm; partners; professional services; corporate teams; llp",
    "software company": "software; software company; software companies; saas; tech company; technology; "
                        "fintech; software teams; developers; engineering team; app developers; platform",
    "fintech": "fintech; financial technology; banking app; neobank; payments; lending platform; bank",
    "manufacturing": "manufacturer; manufacturers; manufacturing; factory; production; distributor; "
                     "distributors; wholesale; industrial; supplier; suppliers",
    "individuals": "individuals; individual; personal; private clients; myself; my family; families; family",
    "families and parents": "families; family; parents; parent; children; child; kids; son; daughter; "
                            "mum; mom; dad; my father; my mother",
    "older adults": "older adults; elderly; retired; retirees; seniors; ageing parents; my mum; my dad; "
                    "later life",
    "students": "students; student; pupils; school; secondary school; high school; university; college; "
                "phd; doctoral; researchers; academics; thesis",
    "authors": "authors; author; writers; novelists; self published; self publishing; novel; thriller; "
               "publishers; small presses; publish my book",
    "creators": "podcasters; podcaster; youtubers; creators; content creators; influencers; course creators; "
                "online courses; coaches",
    "executives": "executives; executive; chief executive; senior managers; directors; business owners; "
                  "busy executives; founders",
    "job seekers": "job seekers; job seeker; career changers; graduates; unemployed; looking for work; "
                   "different job; career change",
    "game studios": "game studio; game studios; game development; games; video game; indie game; gaming",
    "event venues": "event venues; venues; offices; corporate clients; conferences",
    "eco minded": "eco minded; eco conscious; environmentally conscious; sustainable; green; housing co ops; "
                  "low energy; energy bills",
    "offices": "office; offices; small offices; workplace; our office",
}
