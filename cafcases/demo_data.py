"""Fictitious people for the demo and for volume tests: hand-written name lists and a seeded profile generator.

Pure Python (no database) so that the same seed always gives the same people. Faker is a development dependency
only and its output changes between versions, hence the hand-written lists. Every person is invented; phone numbers
and e-mail addresses are in ranges that reach nobody (see FICTION_PHONE_PREFIX and EMAIL_DOMAINS).
"""

import calendar
import datetime
import itertools
from dataclasses import dataclass

from cafcases.text import search_key

# (first names of men, first names of women, family names) by region, as French registries transliterate them.
NAMES = {
    "maghreb": (
        "Mohamed Ahmed Karim Youssef Rachid Samir Mehdi Bilal Hamza Nabil Mourad Abdelkader Sofiane Amine Khaled Omar",
        "Fatima Khadija Amina Nadia Samira Leïla Yasmina Meriem Nour Houda Souad Salma Imane Zineb Rania Malika Farida",
        "Benali Bouzid Haddad Mansouri Belkacem Cherif Hamidi Saidi El_Amrani Ben_Salah Aït_Ahmed Bensaïd Boukhari "
        "Chaouch Djebbar El_Idrissi Ferhat Gharbi Khelifi Lahlou Mebarki Ouali Rahmani Tazi Zerrouki Trabelsi Jaziri",
    ),
    "mashreq": (
        "Mohammad Ahmad Khaled Omar Mahmoud Hussein Ali Yasser Tarek Abdallah Ibrahim Mustafa Osman Adam Hassan Ishag",
        "Fatma Rim Lina Hiba Rasha Aya Nour Maryam Hanan Asma Amal Rana Zainab Huda Sawsan Manal",
        "Al-Hassan Al-Ahmad Khalil Nasser Hamdan Al-Khatib Darwish Abdelrahman Osman Abakar Ibrahim Al-Sayed Saleh "
        "Al-Najjar Mahmoud Suleiman Hamid Idriss",
    ),
    "afghan": (
        "Ahmad Mohammad Abdul Farid Jawad Hamid Rahim Sayed Zabihullah Mustafa Ali_Reza Habib Wahid Rahmatullah Shafiq",
        "Zahra Fatima Maryam Parisa Shabnam Nargis Farzana Khadija Laila Marzia Soraya Shakila Roya Freshta",
        "Ahmadi Hashimi Rahimi Sultani Karimi Noori Amiri Haidari Mohammadi Popal Stanikzai Safi Sadat Jalali "
        "Hussaini Wardak Niazi Rezaei",
    ),
    "eritrea": (
        "Yonas Filmon Biniam Tekle Dawit Samuel Mussie Habtom Mehari Kidane Senai Amanuel Robel Tesfalem",
        "Selam Helen Senait Rahwa Mebrat Ruta Saba Luwam Feven Yohana Tsega Winta",
        "Tesfamariam Ghebremedhin Haile Tekle Berhane Gebrehiwet Kidane Weldemichael Andemariam Habte Tewelde "
        "Mehari Yohannes Ghebreyesus",
    ),
    "west_africa": (
        "Mamadou Moussa Ibrahima Abdoulaye Ousmane Seydou Boubacar Amadou Souleymane Cheikh Lamine Alassane Yacouba "
        "Modibo Kouassi Koffi Aliou Sekou",
        "Aminata Fatoumata Mariam Awa Kadiatou Aïssatou Ramatoulaye Coumba Oumou Adja Mariama Djeneba Nafissatou "
        "Affoué Adjoa Hawa",
        "Diallo Traoré Koné Camara Touré Sow Ba Diop Ndiaye Fall Coulibaly Keïta Sylla Bamba Kouamé Konaté Sangaré "
        "Barry Bah Cissé Diarra Doumbia Sissoko Gueye N'Diaye Yao",
    ),
    "central_africa": (
        "Jean-Pierre Patrick Christian Emmanuel Serge Blaise Didier Junior Trésor Glody Fiston Hervé Landry Cédric",
        "Grâce Merveille Espérance Chantal Nadège Ornella Divine Prisca Clarisse Sandrine Gisèle Joëlle Bénédicte",
        "Tshibangu Mukendi Ilunga Kalala Nzuzi Lukusa Mbuyi Kasongo Mutombo Nkoulou Mbarga Essomba Fotso Ngono "
        "Tchoumi Kamga Nana Atangana Owona Ngoy",
    ),
    "ukraine": (
        "Oleksandr Andriy Dmytro Serhiy Mykola Volodymyr Yuriy Ivan Taras Bohdan Maksym Vitaliy Oleh",
        "Olena Oksana Iryna Natalia Tetiana Yulia Kateryna Svitlana Anastasiia Halyna Viktoria Mariia Sofiia",
        "Kovalenko Shevchenko Bondarenko Tkachenko Kravchenko Melnyk Boyko Kovalchuk Oliynyk Savchenko Lysenko "
        "Moroz Marchenko Rudenko Polishchuk Kushnir Tkachuk Petrenko",
    ),
    "romania": (
        "Ion Andrei Mihai Alexandru Florin Gheorghe Constantin Ionuț Marius Adrian Cristian Ștefan Vasile Bogdan",
        "Maria Elena Ioana Andreea Mihaela Alina Cristina Florentina Gabriela Ana Roxana Daniela Larisa",
        "Popescu Ionescu Popa Stan Dumitru Stoica Gheorghe Matei Munteanu Rusu Lupu Dobre Moldovan Țurcanu "
        "Mocanu Neagu Radu Sârbu",
    ),
    "italy": (
        "Giuseppe Francesco Antonio Marco Luca Salvatore Giovanni Alessandro Matteo Davide",
        "Giulia Francesca Chiara Maria Alessia Martina Federica Valentina Sara",
        "Russo Esposito Romano Colombo Ricci Bruno Greco Marino Gallo De_Luca Conti Mancini Lombardi Ferraro",
    ),
    "hispanic": (
        "José Juan_Carlos Luis Carlos Andrés Javier Miguel_Ángel Diego Sebastián Santiago Alejandro Jorge Julián",
        "María_José Ana_María Lucía Carmen Laura Valentina Daniela Paola Camila Natalia Andrea Isabel Marcela",
        "García Rodríguez Martínez López González Hernández Pérez Sánchez Ramírez Torres Gómez Díaz Moreno "
        "Jiménez Ruiz Vargas Castro Muñoz Ortiz Rojas",
    ),
    "lusophone": (
        "João Pedro Lucas Gabriel Rafael Thiago Bruno Felipe Rodrigo Paulo Tiago Rui Nuno",
        "Ana Maria Juliana Fernanda Beatriz Camila Larissa Letícia Mariana Inês Joana Patrícia",
        "Silva Santos Oliveira Souza Pereira Costa Rodrigues Almeida Nascimento Lima Araújo Ferreira Carvalho "
        "Gomes Ribeiro Martins Sousa",
    ),
    "haiti": (
        "Jean Jean-Baptiste Pierre-Louis Wilson Jacques Frantz Ricardo Stanley Wesner Jean-Robert Emmanuel Jocelyn",
        "Marie Rose-Marie Nadège Fabienne Widline Judith Guerline Mirlande Roseline Sherly Nathalie Esther",
        "Joseph Pierre Jean-Louis Saint-Fleur Louis Charles Jean-Baptiste Augustin Désir Étienne Dorvil Célestin "
        "Dorismond Saint-Louis Théodore",
    ),
    "china": (
        "Wei Jun Hao Lei Jian Ming Qiang Yong Tao Bin Zhiwei Haoran",
        "Fang Na Min Jing Yan Xiu Hui Mei Ting Xiaoyan Yuqing Li",
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Hu Lin Zheng Ye",
    ),
    "india": (
        "Rahul Arun Karthik Suresh Ramesh Vijay Rajesh Sanjay Anand Prakash Murugan Selvam Senthil Balaji",
        "Priya Lakshmi Divya Kavitha Anitha Meena Deepa Sangeetha Revathi Aishwarya Pooja",
        "Kumar Sharma Singh Patel Rajan Krishnan Subramanian Pillai Nair Reddy Iyer Gupta Ramasamy Selvaraj",
    ),
    # Written as French registries usually record them, without the dotless ı (see search_key).
    "turkey": (
        "Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim Murat Emre Yusuf Serkan Kemal Burak",
        "Ayşe Fatma Emine Hatice Zeynep Elif Merve Özlem Esra Derya Gül Songül",
        "Yilmaz Kaya Demir Şahin Çelik Yildiz Öztürk Aydin Özdemir Arslan Doğan Kiliç Aslan Çetin Kurt",
    ),
    "bengal": (
        "Mohammed Abdul Rafiqul Shahidul Mizanur Habibur Kamrul Jahangir Sohel Rubel Masud Nazmul",
        "Nasrin Shirin Fatema Rokeya Sharmin Nazma Taslima Ruma Sumaiya Jannat Farhana",
        "Rahman Hossain Islam Ahmed Uddin Miah Akter Khan Chowdhury Sarkar Alam Haque Karim Talukder",
    ),
}


def _words(text):
    """Split a list written as one string; an underscore joins the words of one item ("El_Amrani")."""
    return tuple(word.replace("_", " ") for word in text.split())


NAME_LISTS = {region: tuple(_words(names) for names in lists) for region, lists in NAMES.items()}

# INSEE code: (region, weight without protection, refugee weight, asylum-seeker weight, places of birth).
# The weights follow the populations CAF du Nord and CAF de la Gironde see, not official statistics.
COUNTRIES = {
    "99352": ("maghreb", 22, 0, 0, "Alger Oran Constantine Sétif Tizi_Ouzou Annaba"),  # Algeria
    "99350": ("maghreb", 18, 0, 0, "Casablanca Rabat Oujda Fès Tanger Nador"),  # Morocco
    "99351": ("maghreb", 9, 0, 0, "Tunis Sfax Sousse Bizerte"),  # Tunisia
    "99212": ("afghan", 1, 30, 20, "Kaboul Hérat Kandahar Mazar-e_Charif Jalalabad"),  # Afghanistan
    "99206": ("mashreq", 1, 20, 6, "Alep Damas Homs Deir_ez-Zor"),  # Syria
    "99343": ("mashreq", 1, 15, 8, "Khartoum El_Geneina Nyala Omdourman"),  # Sudan
    "99317": ("eritrea", 0, 10, 6, "Asmara Keren Massaoua"),  # Eritrea
    "99155": ("ukraine", 7, 0, 0, "Kiev Kharkiv Odessa Marioupol Dnipro"),  # Ukraine (temporary protection)
    "99326": ("west_africa", 4, 3, 10, "Abidjan Bouaké Yamoussoukro Daloa"),  # Côte d'Ivoire
    "99341": ("west_africa", 5, 0, 0, "Dakar Thiès Saint-Louis Ziguinchor"),  # Senegal
    "99335": ("west_africa", 5, 0, 0, "Bamako Kayes Mopti Sikasso"),  # Mali
    "99330": ("west_africa", 2, 5, 12, "Conakry Kankan Labé Nzérékoré"),  # Guinea
    "99312": ("central_africa", 3, 5, 10, "Kinshasa Lubumbashi Goma Bukavu"),  # DR Congo
    "99322": ("central_africa", 4, 0, 0, "Douala Yaoundé Bafoussam Garoua"),  # Cameroon
    "99410": ("haiti", 2, 2, 8, "Port-au-Prince Cap-Haïtien Les_Cayes Gonaïves"),  # Haiti
    "99216": ("china", 2, 0, 0, "Wenzhou Pékin Shanghai Canton"),  # China
    "99223": ("india", 2, 0, 0, "Pondichéry Chennai Delhi Bombay"),  # India
    "99246": ("bengal", 0, 3, 12, "Dacca Sylhet Chittagong"),  # Bangladesh
    "99208": ("turkey", 2, 5, 8, "Istanbul Ankara Kayseri Gaziantep"),  # Turkey
    "99114": ("romania", 4, 0, 0, "Bucarest Cluj-Napoca Iași Constanța"),  # Romania
    "99127": ("italy", 1, 0, 0, "Naples Palerme Turin"),  # Italy
    "99134": ("hispanic", 1, 0, 0, "Madrid Séville Valence"),  # Spain
    "99419": ("hispanic", 2, 0, 0, "Bogotá Medellín Cali"),  # Colombia
    "99139": ("lusophone", 2, 0, 0, "Porto Braga Lisbonne"),  # Portugal
    "99416": ("lusophone", 2, 0, 0, "São_Paulo Recife Belém"),  # Brazil
}
# Share of people whose documents give only the year, or the year and month, of birth (missing civil registries).
PARTIAL_DATE_SHARE = {"afghan": 0.5, "eritrea": 0.4, "mashreq": 0.2, "west_africa": 0.2, "central_africa": 0.15}
# Share asking to be written to in English (the public pages exist in French and English only): about 10 % overall.
ENGLISH_SHARE = {
    **{"afghan": 0.35, "eritrea": 0.5, "ukraine": 0.25, "india": 0.6, "bengal": 0.5, "china": 0.25},
    **{"mashreq": 0.1, "hispanic": 0.15, "lusophone": 0.1, "romania": 0.1, "turkey": 0.1, "maghreb": 0.02},
}
DOUBLE_SURNAME_REGIONS = frozenset({"hispanic", "lusophone"})

# City: (department, weight, postcodes) and its streets: real streets, invented house numbers.
CITIES = {
    "Lille": ("59", 50, "59000 59800 59160 59260"),
    "Roubaix": ("59", 30, "59100"),
    "Tourcoing": ("59", 20, "59200"),
    "Bordeaux": ("33", 55, "33000 33100 33200 33300 33800"),
    "Mérignac": ("33", 25, "33700"),
    "Pessac": ("33", 20, "33600"),
}
STREETS = {
    "Lille": (
        "rue_Nationale rue_de_Paris boulevard_de_la_Liberté rue_Solférino rue_Pierre-Legrand "
        "rue_du_Faubourg-des-Postes rue_Gambetta rue_d'Arras rue_de_Wazemmes"
    ),
    "Roubaix": (
        "rue_de_Lannoy boulevard_de_Belfort rue_de_l'Épeule avenue_Jean-Lebas rue_du_Collège rue_Pierre-de-Roubaix"
    ),
    "Tourcoing": "rue_de_Lille boulevard_Gambetta rue_du_Brun-Pain rue_de_Roubaix avenue_de_la_Fin-de-la-Guerre",
    "Bordeaux": (
        "cours_de_la_Marne cours_Victor-Hugo rue_Sainte-Catherine quai_de_Brazza rue_de_Bègles "
        "cours_de_l'Argonne rue_Camille-Sauvageau avenue_Thiers"
    ),
    "Mérignac": "avenue_de_la_Marne avenue_de_l'Yser rue_Jean-Giono avenue_du_Maréchal-Leclerc rue_de_Beaudésert",
    "Pessac": "avenue_Jean-Jaurès avenue_Pasteur rue_de_Saige avenue_du_Haut-Lévêque boulevard_Saint-Martin",
}

# ARCEP reserves 01 99 00 xx xx for fiction. The mobile fiction range (06 39 98) would be more realistic, but
# libphonenumber rejects it, so the person forms would refuse to save a demo person's own phone number.
FICTION_PHONE_PREFIX = "+3319900"
EMAIL_DOMAINS = ("exemple.invalid", "courriel.invalid", "messagerie.invalid")  # .invalid never resolves (RFC 2606)

# Case categories: NIA only, NIA + CAF waiting number, certified NIR, no number at all (DOMAIN.md, "journey").
NIA_ONLY, WAITING, CERTIFIED, NO_NUMBER = "nia", "waiting", "certified", "none"
# Overall ~45/30/20/5: asylum seekers (5 %) cannot get online access yet, so none of them holds a waiting number.
CATEGORY_WEIGHTS = {NIA_ONLY: 43, WAITING: 32, CERTIFIED: 21, NO_NUMBER: 4}
ASYLUM_SEEKER_CATEGORY_WEIGHTS = {NIA_ONLY: 80, NO_NUMBER: 20}
PROTECTION_WEIGHTS = {"none": 80, "refugee": 15, "asylum_seeker": 5}
DEPARTMENT_WEIGHTS = {"59": 55, "33": 45}
BIRTH_YEARS = (1955, 2005)


@dataclass(slots=True)
class Profile:
    """One invented person and the dates of the numbers they hold; the command turns it into rows."""

    category: str
    department: str
    protection_status: str
    country: str
    sex: str
    birth_name: str
    usage_name: str
    first_names: str
    birth_year: int
    birth_month: int | None
    birth_day: int | None
    birth_place: str
    preferred_language: str
    phone: str
    phone_alt: str
    email: str
    address: str
    postcode: str
    city: str
    nia_issued_on: datetime.date | None
    waiting_issued_on: datetime.date | None
    certified_on: datetime.date | None


def quota_sequence(rng, count, weights):
    """Exactly the weighted shares of count (largest remainders), shuffled: a small sample keeps the intended mix."""
    total = sum(weights.values())
    exact = {key: count * weight / total for key, weight in weights.items()}
    shares = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda key: shares[key] - exact[key])[: count - sum(shares.values())]:
        shares[key] += 1
    sequence = [key for key, share in shares.items() for _ in range(share)]
    rng.shuffle(sequence)
    return sequence


COUNTRY_CODES = tuple(COUNTRIES)
# Cumulative weights (Random.choices would add them up again on every call); COUNTRIES' weight columns 1 to 3 follow
# the order of PROTECTION_WEIGHTS.
COUNTRY_CUM_WEIGHTS = {
    status: list(itertools.accumulate(row[column] for row in COUNTRIES.values()))
    for column, status in enumerate(PROTECTION_WEIGHTS, start=1)
}
CITY_CHOICES = {
    department: (
        [city for city, row in CITIES.items() if row[0] == department],
        list(itertools.accumulate(row[1] for row in CITIES.values() if row[0] == department)),
    )
    for department in DEPARTMENT_WEIGHTS
}
PLACES = {code: _words(row[4]) for code, row in COUNTRIES.items()}
STREET_WORDS = {city: _words(streets) for city, streets in STREETS.items()}
POSTCODES = {city: tuple(row[2].split()) for city, row in CITIES.items()}


def _pick(rng, sequence):
    # Random.choice and Random.randint go through randrange, several times slower than one random(): this generator
    # runs 100,000 times for volume data.
    return sequence[int(rng.random() * len(sequence))]


def _between(rng, low, high):
    """An integer in [low, high], both included."""
    return low + int(rng.random() * (high - low + 1))


def _names(rng, region, sex):
    men, women, family = NAME_LISTS[region]
    first = men if sex == "M" else women
    first_names = _pick(rng, first)
    if rng.random() < 0.2:
        second = _pick(rng, first)
        if second != first_names:
            first_names = f"{first_names} {second}"
    birth_name = _pick(rng, family)
    if region in DOUBLE_SURNAME_REGIONS and rng.random() < 0.5:
        birth_name = f"{birth_name} {_pick(rng, family)}"
    usage_name = _pick(rng, family) if sex == "F" and rng.random() < 0.15 else ""
    return birth_name, usage_name, first_names


def _birth_date(rng, region):
    low, high = BIRTH_YEARS
    year = round(rng.triangular(low, high, 1992))
    month = _between(rng, 1, 12)
    day = _between(rng, 1, calendar.monthrange(year, month)[1])
    if rng.random() < PARTIAL_DATE_SHARE.get(region, 0.03):
        return (year, None, None) if rng.random() < 0.6 else (year, month, None)
    return year, month, day


def _contact(rng, department, birth_name, first_names, status):
    phone = f"{FICTION_PHONE_PREFIX}{int(rng.random() * 10_000):04d}" if rng.random() < 0.85 else ""
    phone_alt = f"{FICTION_PHONE_PREFIX}{int(rng.random() * 10_000):04d}" if phone and rng.random() < 0.1 else ""
    email = ""
    if rng.random() < 0.4:
        local = f"{search_key(first_names).split()[0]}.{search_key(birth_name).replace(' ', '')}"
        email = f"{local}{_between(rng, 1, 99) if rng.random() < 0.5 else ''}@{_pick(rng, EMAIL_DOMAINS)}"
    cities, cum_weights = CITY_CHOICES[department]
    city = rng.choices(cities, cum_weights=cum_weights)[0]
    address = f"{_between(rng, 1, 180)} {_pick(rng, STREET_WORDS[city])}"
    if status == "asylum_seeker" and rng.random() < 0.5:
        address = f"Domiciliation CCAS, {address}"  # no fixed address yet: mail goes to the town's social centre
    elif rng.random() < 0.35:
        address = f"{address}, appartement {_between(rng, 1, 60)}"
    return phone, phone_alt, email, address, _pick(rng, POSTCODES[city]), city


def _number_dates(rng, category, today):
    """Issue dates in a plausible order: NIA, then waiting number, then certification 2 to 9 months later."""
    if category == NO_NUMBER:
        return None, None, None
    # An NIA lapses after 9 months (cafcases.clocks): most people still waiting got theirs since; one in ten did not.
    nia_days = _between(rng, 120, 1200) if category == CERTIFIED else _between(rng, 30, 300)
    waiting_days = certified_days = None
    if category == WAITING:
        waiting_days = _between(rng, 0, min(nia_days - 14, 400))
    elif category == CERTIFIED:
        waiting_days = _between(rng, 75, nia_days - 14)
        certified_days = _between(rng, max(0, waiting_days - 270), waiting_days - 60)

    def ago(days):
        return None if days is None else today - datetime.timedelta(days=days)

    return ago(nia_days), ago(waiting_days), ago(certified_days)


def generate_profiles(rng, count, today):
    """count invented people with the intended mix of departments, protection statuses and case categories."""
    statuses = quota_sequence(rng, count, PROTECTION_WEIGHTS)
    departments = quota_sequence(rng, count, DEPARTMENT_WEIGHTS)
    asylum_count = statuses.count("asylum_seeker")
    categories = {
        True: quota_sequence(rng, asylum_count, ASYLUM_SEEKER_CATEGORY_WEIGHTS),
        False: quota_sequence(rng, count - asylum_count, CATEGORY_WEIGHTS),
    }
    profiles = []
    for status, department in zip(statuses, departments, strict=True):
        category = categories[status == "asylum_seeker"].pop()
        country = rng.choices(COUNTRY_CODES, cum_weights=COUNTRY_CUM_WEIGHTS[status])[0]
        region = COUNTRIES[country][0]
        sex = "M" if rng.random() < 0.55 else "F"
        birth_name, usage_name, first_names = _names(rng, region, sex)
        year, month, day = _birth_date(rng, region)
        english = rng.random() < ENGLISH_SHARE.get(region, 0)
        phone, phone_alt, email, address, postcode, city = _contact(rng, department, birth_name, first_names, status)
        nia_on, waiting_on, certified_on = _number_dates(rng, category, today)
        profiles.append(
            Profile(
                category=category,
                department=department,
                protection_status=status,
                country=country,
                sex=sex,
                birth_name=birth_name,
                usage_name=usage_name,
                first_names=first_names,
                birth_year=year,
                birth_month=month,
                birth_day=day,
                birth_place=_pick(rng, PLACES[country]),
                preferred_language="en" if english else "fr",
                phone=phone,
                phone_alt=phone_alt,
                email=email,
                address=address,
                postcode=postcode,
                city=city,
                nia_issued_on=nia_on,
                waiting_issued_on=waiting_on,
                certified_on=certified_on,
            )
        )
    return profiles


# The four demo caisses: code (type and department follow from it), name, address, e-mail local part. Addresses are
# invented and phones are in the fiction range: nothing reaches a real office.
ORGANISATIONS = (
    ("CAF-59", "CAF du Nord", "12 rue de l'Exemple\n59000 Lille", "caf-nord"),
    ("CPAM-59", "CPAM de Lille-Douai", "8 place de l'Exemple\n59000 Lille", "cpam-lille-douai"),
    ("CAF-33", "CAF de la Gironde", "3 cours de l'Exemple\n33000 Bordeaux", "caf-gironde"),
    ("CPAM-33", "CPAM de la Gironde", "5 quai de l'Exemple\n33000 Bordeaux", "cpam-gironde"),
)
# Username, role, caisse code (None for the national administrator), first name, last name.
USERS = (
    ("agent.caf59", "agent", "CAF-59", "Camille", "Lefebvre"),
    ("superviseur.caf59", "supervisor", "CAF-59", "Nathalie", "Vandenberghe"),
    ("agent.cpam59", "agent", "CPAM-59", "Karim", "Benyahia"),
    ("superviseur.cpam59", "supervisor", "CPAM-59", "Olivier", "Delattre"),
    ("agent.caf33", "agent", "CAF-33", "Julie", "Lafargue"),
    ("superviseur.caf33", "supervisor", "CAF-33", "Thierry", "Dubos"),
    ("agent.cpam33", "agent", "CPAM-33", "Inès", "Garcia"),
    ("superviseur.cpam33", "supervisor", "CPAM-33", "Marc", "Labat"),
    ("admin.national", "national_admin", None, "Sylvie", "Martin"),
)
