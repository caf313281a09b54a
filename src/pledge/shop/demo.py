"""The Pixeljet demo catalogue: four categories, twelve products, two delivery methods.

Idempotent: categories and products are matched by slug and only created when missing (a
price a demo user changed in the back office stays changed); a picture is drawn only for a
product without one. Pictures go through ``catalogue.product_image_set``, the staff upload path.

VAT: photo books, books and magazines are books and periodicals at the low rate (Wet OB 1968,
tabel I); prints, canvas, cards, calendars and frames at the high rate. Recipients (the
delivery partner, the drop-shipping printer) are read from the policy, by type.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from pledge.frame.seeding import demo_seeder
from pledge.policy.schema import RecipientType
from pledge.policy.selectors import current_policy

from .catalogue import category_ensure, product_create, product_image_set
from .demo_pictures import picture_png
from .models import DeliveryMethod, Product, VatRate

CATEGORIES = [
    ("fotoafdrukken", "Fotoafdrukken", "Photo prints"),
    ("wanddecoratie", "Wanddecoratie", "Wall art"),
    ("fotoboeken-en-boeken", "Fotoboeken en boeken", "Photo books and books"),
    ("kaarten-en-drukwerk", "Kaarten en drukwerk", "Cards and stationery"),
]


@dataclass(frozen=True)
class DemoProduct:
    slug: str
    category: str
    name: tuple[str, str]  # Dutch, English
    price: str
    vat_rate: VatRate
    stock: int
    description: tuple[str, str]
    picture: str  # a theme of demo_pictures
    picture_text: tuple[str, str]
    personalised: bool = False
    drop_shipped: bool = False


PRODUCTS = [
    DemoProduct(
        slug="fotoafdrukken-10x15",
        category="fotoafdrukken",
        name=("Fotoafdrukken 10x15 cm, set van 36", "Photo prints 10x15 cm, set of 36"),
        price="12.95",
        vat_rate=VatRate.HIGH,
        stock=500,
        description=(
            "Uw eigen foto's op glanzend fotopapier van 240 gram, met of zonder witte rand.",
            "Your own photos on glossy 240 gsm photo paper, with or without a white border.",
        ),
        picture="prints",
        picture_text=(
            "Een waaier van afgedrukte landschapsfoto's",
            "A fan of printed landscape photos",
        ),
        personalised=True,
    ),
    DemoProduct(
        slug="fotopapier-a4-glans",
        category="fotoafdrukken",
        name=("Fotopapier A4 glans, 50 vel", "Glossy photo paper A4, 50 sheets"),
        price="18.50",
        vat_rate=VatRate.HIGH,
        stock=40,
        description=(
            "Hetzelfde papier waarop wij afdrukken, voor uw eigen printer thuis.",
            "The paper we print on, for your own printer at home.",
        ),
        picture="paper",
        picture_text=("Een stapel glanzend fotopapier", "A stack of glossy photo paper"),
    ),
    DemoProduct(
        slug="fotolijst-eiken-20x30",
        category="fotoafdrukken",
        name=("Fotolijst eiken 20x30 cm", "Oak photo frame 20x30 cm"),
        price="24.95",
        vat_rate=VatRate.HIGH,
        stock=4,
        description=(
            "Massief eiken lijst met passe-partout en ontspiegeld glas.",
            "Solid oak frame with a mount and anti-reflective glass.",
        ),
        picture="frame",
        picture_text=(
            "Een eiken lijst met een foto van tulpen",
            "An oak frame holding a photo of tulips",
        ),
    ),
    DemoProduct(
        slug="canvas-40x60",
        category="wanddecoratie",
        name=("Canvas 40x60 cm met uw foto", "Canvas 40x60 cm with your photo"),
        price="49.95",
        vat_rate=VatRate.HIGH,
        stock=25,
        description=(
            "Uw foto op katoenen canvas, gespannen op een houten frame, klaar om op te hangen.",
            "Your photo on cotton canvas, stretched on a wooden frame, ready to hang.",
        ),
        picture="canvas",
        picture_text=(
            "Een canvas met een zonsondergang aan de muur",
            "A canvas with a sunset on the wall",
        ),
        personalised=True,
    ),
    DemoProduct(
        slug="poster-amsterdamse-grachten",
        category="wanddecoratie",
        name=("Poster Amsterdamse grachten, 50x70 cm", "Poster Amsterdam canals, 50x70 cm"),
        price="19.99",
        vat_rate=VatRate.HIGH,
        stock=3,
        description=(
            "Grachtenpanden met trapgevels, gedrukt op mat posterpapier.",
            "Canal houses with stepped gables, printed on matt poster paper.",
        ),
        picture="canals",
        picture_text=("Grachtenpanden aan het water", "Canal houses along the water"),
    ),
    DemoProduct(
        slug="poster-noordzeestrand",
        category="wanddecoratie",
        name=("Poster Noordzeestrand, 30x40 cm", "Poster North Sea beach, 30x40 cm"),
        price="12.50",
        vat_rate=VatRate.HIGH,
        stock=0,
        description=(
            "Strand, duinen en een strandpaviljoen in zachte kleuren.",
            "Beach, dunes and a beach pavilion in soft colours.",
        ),
        picture="beach",
        picture_text=(
            "Een strand met zee, duinen en een paviljoen",
            "A beach with sea, dunes and a pavilion",
        ),
    ),
    DemoProduct(
        slug="fotoboek-a4-hardcover",
        category="fotoboeken-en-boeken",
        name=("Fotoboek A4 liggend, hardcover", "Photo book A4 landscape, hardcover"),
        price="37.95",
        vat_rate=VatRate.LOW,
        stock=60,
        description=(
            "Vijftig pagina's met uw eigen foto's en teksten, gebonden in een harde kaft.",
            "Fifty pages of your own photos and words, bound in a hard cover.",
        ),
        picture="photobook",
        picture_text=(
            "Een opengeslagen fotoboek met landschappen",
            "An open photo book with landscapes",
        ),
        personalised=True,
    ),
    DemoProduct(
        slug="boek-beter-fotograferen",
        category="fotoboeken-en-boeken",
        name=("Boek: Beter fotograferen met je telefoon", "Book: Better photos with your phone"),
        price="24.50",
        vat_rate=VatRate.LOW,
        stock=12,
        description=(
            "Ons eigen handboek: licht, compositie en bewerken, in 160 pagina's.",
            "Our own handbook: light, composition and editing, in 160 pages (in Dutch).",
        ),
        picture="book",
        picture_text=("Een boek met een camera op de kaft", "A book with a camera on its cover"),
    ),
    DemoProduct(
        slug="pixeljet-fotomagazine",
        category="fotoboeken-en-boeken",
        name=("Pixeljet Fotomagazine, nummer 12", "Pixeljet photo magazine, issue 12"),
        price="7.95",
        vat_rate=VatRate.LOW,
        stock=2,
        description=(
            "Het tijdschrift van onze klanten: de mooiste inzendingen van dit seizoen.",
            "Our customers' magazine: the best submissions of the season.",
        ),
        picture="magazine",
        picture_text=("De kaft van een fotomagazine", "The cover of a photo magazine"),
    ),
    DemoProduct(
        slug="visitekaartjes-250",
        category="kaarten-en-drukwerk",
        name=("Visitekaartjes, 250 stuks", "Business cards, 250"),
        price="29.95",
        vat_rate=VatRate.HIGH,
        stock=1000,
        description=(
            "Uw eigen ontwerp op stevig karton van 350 gram, gedrukt door onze partnerdrukkerij.",
            "Your own design on sturdy 350 gsm card, printed by our partner printer.",
        ),
        picture="business_cards",
        picture_text=("Een stapel visitekaartjes", "A stack of business cards"),
        personalised=True,
        drop_shipped=True,
    ),
    DemoProduct(
        slug="wenskaarten-amsterdam-10",
        category="kaarten-en-drukwerk",
        name=("Wenskaarten Amsterdam, set van 10", "Greeting cards Amsterdam, set of 10"),
        price="14.95",
        vat_rate=VatRate.HIGH,
        stock=35,
        description=(
            "Tien dubbele kaarten met grachtenpanden, met enveloppen.",
            "Ten folded cards with canal houses, with envelopes.",
        ),
        picture="greeting_cards",
        picture_text=(
            "Wenskaarten met grachtenpanden en een envelop",
            "Greeting cards with canal houses and an envelope",
        ),
    ),
    DemoProduct(
        slug="verjaardagskalender",
        category="kaarten-en-drukwerk",
        name=("Verjaardagskalender", "Birthday calendar"),
        price="16.95",
        vat_rate=VatRate.HIGH,
        stock=18,
        description=(
            "Een eeuwigdurende kalender met een landschap per maand.",
            "A perpetual calendar with a landscape for every month.",
        ),
        picture="calendar",
        picture_text=("Een kalender met een landschapsfoto", "A calendar with a landscape photo"),
    ),
]


def _recipient_of_type(kind: RecipientType) -> str:
    matches = [r.id for r in current_policy().recipients if r.type == kind]
    if not matches:
        raise LookupError(f"the policy names no recipient of type {kind.value}")
    return matches[0]


def _seed_catalogue() -> int:
    supplier = _recipient_of_type(RecipientType.SUPPLIER)
    categories = {
        slug: category_ensure(slug=slug, name_nl=nl, name_en=en, position=position)
        for position, (slug, nl, en) in enumerate(CATEGORIES)
    }
    created = 0
    for position, item in enumerate(PRODUCTS):
        if Product.objects.filter(slug=item.slug).exists():
            continue
        product_create(
            slug=item.slug,
            category_id=categories[item.category].pk,
            name_nl=item.name[0],
            name_en=item.name[1],
            description_nl=item.description[0],
            description_en=item.description[1],
            price=Decimal(item.price),
            vat_rate=item.vat_rate,
            stock=item.stock,
            personalised=item.personalised,
            supplier=supplier if item.drop_shipped else "",
            image_alt_nl=item.picture_text[0],
            image_alt_en=item.picture_text[1],
            position=position,
        )
        created += 1
    return created


def _seed_pictures() -> int:
    drawn = 0
    themes = {item.slug: item.picture for item in PRODUCTS}
    for product in Product.objects.filter(slug__in=themes, image=""):
        picture = picture_png(themes[product.slug], seed=product.pk * 7919)
        product_image_set(product_id=product.pk, upload=picture)
        drawn += 1
    return drawn


def _seed_delivery_methods() -> int:
    controller = current_policy().controller
    methods = [
        {
            "code": "postnl",
            "name_nl": "Pakket via PostNL",
            "name_en": "Parcel by PostNL",
            "price": Decimal("4.95"),
            "recipient": _recipient_of_type(RecipientType.DELIVERY),
            "needs_address": True,
            "position": 0,
        },
        {
            "code": "afhalen",
            "name_nl": f"Afhalen in onze winkel in {controller.address.city}",
            "name_en": f"Collect at our shop in {controller.address.city}",
            "price": Decimal("0.00"),
            "recipient": "",
            "needs_address": False,
            "position": 1,
        },
    ]
    created = 0
    with transaction.atomic():
        for method in methods:
            code = method.pop("code")
            _, new = DeliveryMethod.objects.get_or_create(
                code=code, defaults={**method, "vat_rate": VatRate.HIGH}
            )
            created += new
    return created


@demo_seeder(order=40)
def demo_catalogue() -> str:
    products = _seed_catalogue()
    pictures = _seed_pictures()
    methods = _seed_delivery_methods()
    if not (products or pictures or methods):
        return "catalogue already seeded"
    return f"catalogue seeded: {products} products, {pictures} pictures, {methods} delivery methods"
