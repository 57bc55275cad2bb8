#!/usr/bin/env python3
"""Generate the golden QRIS test vectors for @quickcart/qris.

Standard library only, deterministic output. Run from anywhere:

    python3 packages/qris/test/vectors/generate.py

and commit the resulting vectors.json next to this script.

Everything here is deliberately independent of the TypeScript implementation:
- the CRC is binascii.crc_hqx (CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF) over
  the UTF-8 bytes of the payload, formatted as 4 uppercase hex digits;
- lengths are counted in characters (Unicode code points): Python's len() on str;
- the expected typed view (QrisFields) is derived from the same TLV description
  the string is written from.

Valid vectors carry `expected` (the QrisFields view, compared with toMatchObject),
`absent` (optional QrisFields properties that must not exist) and `warnings`.
Invalid vectors carry exactly one intended defect and `expectedCode`, optionally
`expectedPath` and `expectedOffset` (character offset of the tag concerned).
Unless the defect is about the CRC itself, the CRC is recomputed after the defect.
"""

import binascii
import copy
import json
import os

# ---------------------------------------------------------------------------
# TLV writer and CRC
# ---------------------------------------------------------------------------

TEMPLATE_TAGS = {f'{t:02d}' for t in [*range(26, 52), 62, 64, *range(80, 100)]}


class Raw:
    """A piece of text written as is (for malformed data objects)."""

    def __init__(self, text):
        self.text = text


def crc(payload):
    return '%04X' % binascii.crc_hqx(payload.encode('utf-8'), 0xFFFF)


def tlv(tag, value):
    assert len(tag) == 2 and tag.isdigit(), tag
    n = len(value)  # code points, not UTF-16 units, not bytes
    assert 0 <= n <= 99, (tag, value)
    return f'{tag}{n:02d}{value}'


def encode(nodes):
    out = []
    for node in nodes:
        if isinstance(node, Raw):
            out.append(node.text)
            continue
        tag, value = node
        if isinstance(value, list):
            value = encode(value)
        out.append(tlv(tag, value))
    return ''.join(out)


def finish(nodes, crc_fn=crc):
    """Payload + "6304" + CRC of everything before the CRC value."""
    body = encode(nodes) + '6304'
    return body + crc_fn(body)


# ---------------------------------------------------------------------------
# Independent reader (self-checks and offsets only)
# ---------------------------------------------------------------------------


def index_paths(text):
    """[(path, offset_in_code_points, value)] of a well-formed string; raises on malformed input."""
    res = []

    def walk(chunk, base, prefix, nested):
        i = 0
        while i < len(chunk):
            tag, length = chunk[i : i + 2], chunk[i + 2 : i + 4]
            if not (len(tag) == 2 and tag.isdigit() and len(length) == 2 and length.isdigit()):
                raise ValueError(f'malformed at {base + i}')
            n = int(length)
            if i + 4 + n > len(chunk):
                raise ValueError(f'overflow at {base + i}')
            value = chunk[i + 4 : i + 4 + n]
            res.append((prefix + tag, base + i, value))
            if not nested and tag in TEMPLATE_TAGS:
                walk(value, base + i + 4, prefix + tag + '.', True)
            i += 4 + n

    walk(text, 0, '', False)
    return res


def utf16_offset(text, offset):
    return len(text[:offset].encode('utf-16-le')) // 2


# ---------------------------------------------------------------------------
# Expected typed view (QrisFields) from a TLV description
# ---------------------------------------------------------------------------

ADDITIONAL_DATA_NAMES = {
    '01': 'billNumber',
    '02': 'mobileNumber',
    '03': 'storeLabel',
    '04': 'loyaltyNumber',
    '05': 'referenceLabel',
    '06': 'customerLabel',
    '07': 'terminalLabel',
    '08': 'purposeOfTransaction',
    '09': 'consumerDataRequest',
}

OPTIONAL_FIELDS = ['amount', 'tip', 'additionalData', 'language', 'unreservedTemplates', 'other']


def take(subs, mapping, target):
    for key, name in mapping:
        if key in subs:
            target[name] = subs.pop(key)


def fields_of(nodes, crc_value):
    top = {}
    for tag, value in nodes:
        assert tag not in top, tag
        top[tag] = value
    f = {}
    accounts, unreserved, other = [], [], {}
    for tag, value in nodes:
        t = int(tag)
        if tag == '00':
            f['payloadFormatIndicator'] = value
        elif tag == '01':
            f['pointOfInitiation'] = {'11': 'static', '12': 'dynamic'}[value]
        elif 26 <= t <= 50:
            subs = dict(value)
            acc = {'tag': tag, 'guid': subs.pop('00')}
            take(subs, [('01', 'pan'), ('02', 'merchantId'), ('03', 'criteria')], acc)
            if subs:
                acc['extra'] = subs
            accounts.append(acc)
        elif tag == '51':
            subs = dict(value)
            q = {'guid': subs.pop('00'), 'nmid': subs.pop('02')}
            take(subs, [('03', 'criteria')], q)
            if subs:
                q['extra'] = subs
            f['qris'] = q
        elif tag == '52':
            f['merchantCategoryCode'] = value
        elif tag == '53':
            f['currency'] = value
        elif tag == '54':
            f['amount'] = value
        elif tag == '55':
            f['tip'] = {
                '01': lambda: {'type': 'prompt'},
                '02': lambda: {'type': 'fixed', 'amount': top['56']},
                '03': lambda: {'type': 'percentage', 'percentage': top['57']},
            }[value]()
        elif tag in ('56', '57'):
            pass  # part of the tip
        elif tag == '58':
            f['countryCode'] = value
        elif tag == '59':
            f['merchantName'] = value
        elif tag == '60':
            f['merchantCity'] = value
        elif tag == '61':
            f['postalCode'] = value
        elif tag == '62':
            subs = dict(value)
            ad = {}
            take(subs, list(ADDITIONAL_DATA_NAMES.items()), ad)
            if subs:
                ad['extra'] = subs
            f['additionalData'] = ad
        elif tag == '64':
            subs = dict(value)
            lang = {}
            take(subs, [('00', 'languagePreference'), ('01', 'merchantName'), ('02', 'merchantCity')], lang)
            if subs:
                lang['extra'] = subs
            f['language'] = lang
        elif 80 <= t <= 99:
            subs = dict(value)
            u = {'tag': tag, 'guid': subs.pop('00')}
            if subs:
                u['extra'] = subs
            unreserved.append(u)
        else:
            other[tag] = value
    f['merchantAccounts'] = accounts
    if unreserved:
        f['unreservedTemplates'] = unreserved
    if other:
        f['other'] = other
    f['crc'] = crc_value
    return f


# ---------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------

QRIS = 'ID.CO.QRIS.WWW'


def acct(tag, guid, pan, mid, criteria):
    return (tag, [('00', guid), ('01', pan), ('02', mid), ('03', criteria)])


def nas(nmid, criteria):
    return ('51', [('00', QRIS), ('02', nmid), ('03', criteria)])


def head(poi):
    return [('00', '01'), ('01', poi)]


def tail(name, city, postal):
    return [('58', 'ID'), ('59', name), ('60', city), ('61', postal)]


def idr(mcc):
    return [('52', mcc), ('53', '360')]


PAKASIR = (
    '00020101021226610016ID.CO.SHOPEE.WWW01189360091800216005230208216005230303UME51440014ID.CO.QRIS.WWW'
    '0215ID10243228429300303UME5204792953033605409100003.005802ID5907Pakasir6012KAB. KEBUMEN61055439262230519'
    'SP25RZRATEQI2HQ65Q46304A079'
)

# ---------------------------------------------------------------------------
# Valid vectors
# ---------------------------------------------------------------------------


def search_leading_zero():
    """Vary the bill number until the CRC starts with "0"."""
    for n in range(1, 100000):
        nodes = [
            *head('12'),
            acct('26', 'ID.CO.BRI.WWW', '936000020000456789', 'BRI000045678', 'UKE'),
            nas('ID1021987654321', 'UKE'),
            *idr('5499'),
            ('54', '32500'),
            *tail('TOKO SEMBAKO MAKMUR', 'SURABAYA', '60241'),
            ('62', [('01', f'INV{n:06d}'), ('07', 'KASIR-1')]),
        ]
        if finish(nodes)[-4] == '0':
            return nodes
    raise AssertionError('no leading-zero CRC found')


VALID = [
    {
        'name': 'pakasir-dynamic-shopee',
        'description': "Pakasir's documented dynamic QRIS, verbatim: Shopee acquirer, amount with decimals",
        'nodes': [
            *head('12'),
            acct('26', 'ID.CO.SHOPEE.WWW', '936009180021600523', '21600523', 'UME'),
            nas('ID1024322842930', 'UME'),
            *idr('7929'),
            ('54', '100003.00'),
            *tail('Pakasir', 'KAB. KEBUMEN', '54392'),
            ('62', [('05', 'SP25RZRATEQI2HQ65Q4')]),
        ],
        'warnings': [],
    },
    {
        'name': 'static-gopay-warung',
        'description': 'Static GoPay QRIS, city of exactly 15 characters, terminal label only',
        'nodes': [
            *head('11'),
            acct('26', 'COM.GO-JEK.WWW', '936009143218765401', 'G432187654', 'UMI'),
            nas('ID1021123456789', 'UMI'),
            *idr('5812'),
            *tail('WARUNG MAKAN BU SRI', 'JAKARTA SELATAN', '12540'),
            ('62', [('07', 'A01')]),
        ],
        'warnings': [],
    },
    {
        'name': 'static-shopee-no-additional-data',
        'description': 'Static ShopeePay QRIS without tag 62',
        'nodes': [
            *head('11'),
            acct('26', 'ID.CO.SHOPEE.WWW', '936009180023456712', '23456712', 'UMI'),
            nas('ID1022334455667', 'UMI'),
            *idr('5814'),
            *tail('MIE AYAM PAK KUMIS', 'YOGYAKARTA', '55281'),
        ],
        'warnings': [],
    },
    {
        'name': 'static-dana-bca-two-accounts',
        'description': 'Static QRIS with two merchant accounts (DANA in 26, BCA in 27) plus 51',
        'nodes': [
            *head('11'),
            acct('26', 'ID.DANA.WWW', '936009150000123456', '216001234567', 'UMI'),
            acct('27', 'ID.CO.BCA.WWW', '936000140000812345', '000885001234567', 'UMI'),
            nas('ID1020045678901', 'UMI'),
            *idr('5411'),
            *tail('TOKO BERKAH JAYA', 'DEPOK', '16424'),
            ('62', [('07', 'T001')]),
        ],
        'warnings': [],
    },
    {
        'name': 'static-three-accounts-pan-16-and-19',
        'description': 'Three merchant accounts 26-28, PANs of 16 and 19 digits (the limits)',
        'nodes': [
            *head('11'),
            acct('26', 'ID.CO.BCA.WWW', '9360001400012345', '885000123', 'UBE'),
            acct('27', 'ID.CO.BANKMANDIRI.WWW', '9360000800012345678', '71000123456', 'UBE'),
            acct('28', 'ID.CO.BNI.WWW', '936000090012345678', 'BNI0012345', 'UBE'),
            nas('ID2020111222333', 'UBE'),
            *idr('5311'),
            *tail('SWALAYAN SINAR MAS', 'MEDAN', '20112'),
            ('62', [('03', 'CABANG MEDAN'), ('07', 'POS-07')]),
        ],
        'warnings': [],
    },
    {
        'name': 'dynamic-bri-integer-amount',
        'description': 'Dynamic BRI QRIS, integer amount, bill/reference/terminal/purpose in 62',
        'nodes': [
            *head('12'),
            acct('26', 'ID.CO.BRI.WWW', '936000020000123456', 'BRI000012345', 'UKE'),
            nas('ID1021234567890', 'UKE'),
            *idr('5499'),
            ('54', '25000'),
            *tail('TOKO KELONTONG MAJU', 'SEMARANG', '50135'),
            (
                '62',
                [
                    ('01', 'INV-2024-000187'),
                    ('05', 'TRX8F3A92C1'),
                    ('07', 'KASIR-02'),
                    ('08', 'PEMBAYARAN BELANJA'),
                ],
            ),
        ],
        'warnings': [],
    },
    {
        'name': 'dynamic-mandiri-tip-prompt',
        'description': 'Dynamic Livin by Mandiri QRIS with 55 = 01 (the app asks for a tip)',
        'nodes': [
            *head('12'),
            acct('26', 'ID.CO.BANKMANDIRI.WWW', '936000080001234567', '71000876543', 'UME'),
            nas('ID1022876543210', 'UME'),
            *idr('5812'),
            ('54', '150000'),
            ('55', '01'),
            *tail('RM PADANG SEDERHANA', 'PADANG', '25111'),
            ('62', [('01', 'ORD-55821'), ('07', 'M12')]),
        ],
        'warnings': [],
    },
    {
        'name': 'dynamic-bni-tip-fixed',
        'description': 'Dynamic BNI QRIS, amount with decimals, fixed convenience fee (55 = 02, 56)',
        'nodes': [
            *head('12'),
            acct('26', 'ID.CO.BNI.WWW', '936000090012345678', 'BNI0012345', 'UME'),
            nas('ID1023111222333', 'UME'),
            *idr('4121'),
            ('54', '47500.00'),
            ('55', '02'),
            ('56', '2500'),
            *tail('TAKSI BIRU NUSANTARA', 'JAKARTA PUSAT', '10110'),
            ('62', [('01', 'TRIP-77821'), ('05', 'BNI240517001')]),
        ],
        'warnings': [],
    },
    {
        'name': 'static-linkaja-tip-percentage',
        'description': 'Static LinkAja QRIS with a percentage convenience fee (55 = 03, 57)',
        'nodes': [
            *head('11'),
            acct('26', 'ID.LINKAJA.WWW', '936009110011223344', 'LA1122334', 'UKE'),
            nas('ID1020998877665', 'UKE'),
            *idr('7011'),
            ('55', '03'),
            ('57', '05.00'),
            *tail('HOTEL MELATI INDAH', 'MALANG', '65111'),
            ('62', [('07', 'FO-01')]),
        ],
        'warnings': [],
    },
    {
        'name': 'dynamic-telkom-full-additional-data',
        'description': 'Dynamic QRIS with every 62 sub-tag 01-09, consumer data request "AME"',
        'nodes': [
            *head('12'),
            acct('26', 'ID.CO.TELKOM.WWW', '936008980012345678', 'TLK123456789', 'UBE'),
            nas('ID1024555666777', 'UBE'),
            *idr('4814'),
            ('54', '99000'),
            *tail('TELKOM PLAZA', 'BANDUNG', '40115'),
            (
                '62',
                [
                    ('01', 'BILL0812'),
                    ('02', '081234567890'),
                    ('03', 'DAGO'),
                    ('04', 'LOY998'),
                    ('05', 'REF0517'),
                    ('06', 'C4455'),
                    ('07', 'T09'),
                    ('08', 'INTERNET'),
                    ('09', 'AME'),
                ],
            ),
        ],
        'warnings': [],
    },
    {
        'name': 'static-nobu-language-chinese',
        'description': 'Static Nobu QRIS with a 64 template in Chinese: lengths in characters, CRC over UTF-8',
        'nodes': [
            *head('11'),
            acct('26', 'ID.CO.NOBUBANK.WWW', '936005030000987654', 'NOBU98765', 'UMI'),
            nas('ID1021555444333', 'UMI'),
            *idr('5812'),
            *tail('RESTORAN NAGA EMAS', 'JAKARTA BARAT', '11140'),
            ('62', [('07', 'MEJA-08')]),
            ('64', [('00', 'zh'), ('01', '金龙餐厅'), ('02', '雅加达')]),
        ],
        'warnings': [],
    },
    {
        'name': 'static-language-cafe-accent',
        'description': 'Language template with "Café" (one 2-byte UTF-8 character)',
        'nodes': [
            *head('11'),
            acct('26', 'ID.CO.SHOPEE.WWW', '936009180034567123', '34567123', 'UMI'),
            nas('ID1023777888999', 'UMI'),
            *idr('5814'),
            *tail('CAFE DE FLORE BALI', 'DENPASAR', '80361'),
            ('64', [('00', 'fr'), ('01', 'Café de Flore'), ('02', 'Denpasar')]),
        ],
        'warnings': [],
    },
    {
        'name': 'dynamic-language-astral-name-25-chars',
        'description': (
            'Merchant name of exactly 25 characters; 64.01 holds U+20BB7 (outside the BMP: 1 code point, '
            '2 UTF-16 units, 4 UTF-8 bytes)'
        ),
        'nodes': [
            *head('12'),
            acct('26', 'ID.DANA.WWW', '936009150000765432', '216007654321', 'UME'),
            nas('ID1022468013579', 'UME'),
            *idr('5812'),
            ('54', '88000'),
            *tail('YOSHINOYA GRAND INDONESIA', 'JAKARTA PUSAT', '10310'),
            ('62', [('01', 'YSN-000912'), ('07', 'POS2')]),
            ('64', [('00', 'ja'), ('01', '𠮷野家'), ('02', 'ジャカルタ')]),
        ],
        'warnings': [],
    },
    {
        'name': 'static-unreserved-template',
        'description': 'Unreserved template 99 with its own GUID next to the merchant accounts',
        'nodes': [
            *head('11'),
            acct('26', 'COM.GO-JEK.WWW', '936009147654321098', 'G765432109', 'UMI'),
            nas('ID1020123123123', 'UMI'),
            *idr('5499'),
            *tail('QUICKCART DEMO STORE', 'BOGOR', '16128'),
            ('62', [('03', 'GUDANG-1')]),
            ('99', [('00', 'ID.CO.QUICKCART.WWW'), ('01', 'STORE-0042'), ('02', 'v1')]),
        ],
        'warnings': [],
    },
    {
        'name': 'dynamic-two-unreserved-templates',
        'description': 'Unreserved templates 80 and 91, each with a GUID',
        'nodes': [
            *head('12'),
            acct('26', 'ID.CO.BCA.WWW', '936000140000876543', '000885009876543', 'UKE'),
            acct('27', 'ID.CO.BRI.WWW', '936000020000765432', 'BRI000076543', 'UKE'),
            nas('ID1023000111222', 'UKE'),
            *idr('5732'),
            ('54', '1499000'),
            *tail('ELEKTRONIK SENTOSA', 'TANGERANG', '15111'),
            ('62', [('01', 'SO-2024-3321'), ('07', 'EDC01')]),
            ('80', [('00', 'ID.CO.LOYALTY.WWW'), ('01', 'PTS-100')]),
            ('91', [('00', 'COM.EXAMPLE.POS'), ('05', 'LANE-3')]),
        ],
        'warnings': [],
    },
    {
        'name': 'dynamic-crc-leading-zero',
        'description': 'Bill number chosen so that the CRC starts with "0"',
        'nodes': search_leading_zero(),
        'warnings': [],
    },
    {
        'name': 'dynamic-amount-13-chars',
        'description': 'Amount of exactly 13 characters with decimals',
        'nodes': [
            *head('12'),
            acct('26', 'ID.CO.BANKMANDIRI.WWW', '936000080009876543', '71000987654', 'URE'),
            nas('ID1024000555666', 'URE'),
            *idr('5521'),
            ('54', '1250000000.00'),
            *tail('DEALER MOBIL PRIMA', 'BEKASI', '17141'),
            ('62', [('01', 'SPK-00871'), ('08', 'UANG MUKA')]),
        ],
        'warnings': [],
    },
    {
        'name': 'static-only-national-account',
        'description': 'Tag 51 as the only merchant account (no 26-50), NMID with 10 digits (the minimum)',
        'nodes': [
            *head('11'),
            nas('ID1234567890', 'UMI'),
            *idr('5812'),
            *tail('BAKSO MAS GUN', 'SOLO', '57111'),
        ],
        'warnings': [],
    },
    {
        'name': 'static-with-amount-warning',
        'description': 'Static QRIS carrying an amount: valid, warning STATIC_WITH_AMOUNT',
        'nodes': [
            *head('11'),
            acct('26', 'ID.CO.SHOPEE.WWW', '936009180045671234', '45671234', 'UMI'),
            nas('ID1022999000111', 'UMI'),
            *idr('5812'),
            ('54', '15000'),
            *tail('ES TEH MANIS JUMBO', 'CIREBON', '45111'),
        ],
        'warnings': ['STATIC_WITH_AMOUNT'],
    },
    {
        'name': 'dynamic-without-amount-warning',
        'description': 'Dynamic QRIS without an amount: valid, warning DYNAMIC_WITHOUT_AMOUNT',
        'nodes': [
            *head('12'),
            acct('26', 'ID.CO.BNI.WWW', '936000090098765432', 'BNI0098765', 'UKE'),
            nas('ID1021222333444', 'UKE'),
            *idr('5691'),
            *tail('BUTIK KEBAYA ANGGUN', 'PEKALONGAN', '51111'),
            ('62', [('01', 'INV-7781')]),
        ],
        'warnings': ['DYNAMIC_WITHOUT_AMOUNT'],
    },
    {
        'name': 'static-reserved-tag-warning',
        'description': 'Tag 65 (reserved for future use): valid, warning RESERVED_TAG, value kept in `other`',
        'nodes': [
            *head('11'),
            acct('26', 'ID.DANA.WWW', '936009150000333444', '216003334445', 'UMI'),
            nas('ID1020333444555', 'UMI'),
            *idr('5812'),
            *tail('SATE KLATHAK PAK PONG', 'BANTUL', '55782'),
            ('65', 'RFU'),
        ],
        'warnings': ['RESERVED_TAG'],
    },
    {
        'name': 'static-postal-code-not-5-digits-warning',
        'description': 'Postal code of 10 characters (the maximum), not 5 digits: warning POSTAL_CODE_FORMAT',
        'nodes': [
            *head('11'),
            acct('26', 'ID.CO.BRI.WWW', '936000020000998877', 'BRI000099887', 'UMI'),
            nas('ID1021000999888', 'UMI'),
            *idr('5812'),
            *tail('KOPI KENANGAN SENJA', 'BALIKPAPAN', '76114-0001'),
        ],
        'warnings': ['POSTAL_CODE_FORMAT'],
    },
]

# ---------------------------------------------------------------------------
# Invalid vectors: one defect each on a clean base
# ---------------------------------------------------------------------------


def base(bill='INV-2024-0001'):
    return [
        *head('12'),
        acct('26', 'ID.CO.SHOPEE.WWW', '936009180012345678', '12345678', 'UMI'),
        nas('ID1023456789012', 'UMI'),
        *idr('5812'),
        ('54', '50000'),
        *tail('KEDAI KOPI SENJA', 'BANDUNG', '40115'),
        ('62', [('01', bill), ('07', 'K01')]),
    ]


def locate(nodes, path):
    """(list, index) of the first node at a path such as "62" or "62.01"."""
    parts = path.split('.')
    current = nodes
    for depth, part in enumerate(parts):
        idx = next(i for i, n in enumerate(current) if not isinstance(n, Raw) and n[0] == part)
        if depth == len(parts) - 1:
            return current, idx
        current = current[idx][1]
    raise AssertionError(path)


def set_value(nodes, path, value):
    nodes = copy.deepcopy(nodes)
    lst, i = locate(nodes, path)
    lst[i] = (lst[i][0], value)
    return nodes


def set_node(nodes, path, node):
    nodes = copy.deepcopy(nodes)
    lst, i = locate(nodes, path)
    lst[i] = node
    return nodes


def remove(nodes, *paths):
    nodes = copy.deepcopy(nodes)
    for path in paths:
        lst, i = locate(nodes, path)
        del lst[i]
    return nodes


def insert_after(nodes, path, *new):
    nodes = copy.deepcopy(nodes)
    lst, i = locate(nodes, path)
    lst[i + 1 : i + 1] = list(new)
    return nodes


def with_bill_until(predicate):
    for n in range(1, 100000):
        nodes = base(f'INV-2024-{n:04d}')
        if predicate(finish(nodes)):
            return nodes
    raise AssertionError('no such bill number')


def flip_crc(body):
    good = crc(body)
    return '%04X' % (int(good, 16) ^ 0x0001)


def latin1_crc(body):
    return '%04X' % binascii.crc_hqx(body.encode('latin-1'), 0xFFFF)


def crc_len(n):
    def build(nodes):
        body = encode(nodes) + f'63{n:02d}'
        good = crc(body)
        value = good[:n] if n < 4 else good + '0' * (n - 4)
        return body + value

    return build


def with_letter(text):
    return any(c in 'ABCDEF' for c in text[-4:])


B = base()
WITH_64 = insert_after(B, '62', ('64', [('00', 'fr'), ('01', 'Cafe Senja')]))
WITH_99 = insert_after(B, '62', ('99', [('00', 'ID.CO.QUICKCART.WWW'), ('01', 'STORE-0042')]))
ONLY_51 = remove(B, '26')
LOWER_CRC_BASE = with_bill_until(with_letter)

# Each entry: name, description, input text, expectedCode, expectedPath (or None).
INVALID = [
    # --- input ------------------------------------------------------------------
    ('empty-input', 'Empty string', '', 'INVALID_INPUT', None),
    # --- CRC ----------------------------------------------------------------------
    ('crc-mismatch', 'Last bit of the CRC flipped', finish(B, flip_crc), 'CRC_MISMATCH', None),
    (
        'crc-over-latin1-not-utf8',
        'CRC computed over Latin-1 bytes instead of UTF-8 (64.01 holds "é")',
        finish(set_value(WITH_64, '64.01', 'Café Senja'), latin1_crc),
        'CRC_MISMATCH',
        None,
    ),
    (
        'crc-lowercase-hex',
        'Correct CRC written in lowercase hex',
        (lambda s: s[:-4] + s[-4:].lower())(finish(LOWER_CRC_BASE)),
        'INVALID_CRC_FORMAT',
        '63',
    ),
    (
        'crc-non-hex',
        'CRC value is not hexadecimal',
        finish(B, lambda body: 'G' + crc(body)[1:]),
        'INVALID_CRC_FORMAT',
        '63',
    ),
    ('crc-length-03', 'Tag 63 with length 03', crc_len(3)(B), 'INVALID_CRC_LENGTH', '63'),
    ('crc-length-05', 'Tag 63 with length 05', crc_len(5)(B), 'INVALID_CRC_LENGTH', '63'),
    ('crc-missing', 'No tag 63 at all', encode(B), 'CRC_NOT_LAST', None),
    (
        'crc-not-last',
        'Tag 58 written after the CRC',
        finish(remove(B, '58')) + '5802ID',
        'CRC_NOT_LAST',
        None,
    ),
    # --- payload format -------------------------------------------------------------
    (
        'payload-format-not-first',
        'Tags 00 and 01 swapped',
        finish([B[1], B[0], *B[2:]]),
        'PAYLOAD_FORMAT_NOT_FIRST',
        None,
    ),
    ('payload-format-missing', 'No tag 00', finish(remove(B, '00')), 'PAYLOAD_FORMAT_NOT_FIRST', None),
    ('payload-format-02', 'Tag 00 = "02"', finish(set_value(B, '00', '02')), 'INVALID_PAYLOAD_FORMAT', '00'),
    # --- TLV structure ------------------------------------------------------------------
    (
        'length-overflow-subtag',
        'Sub-tag 62.07 claims 99 characters inside a shorter template',
        finish(set_node(B, '62.07', Raw('0799K01'))),
        'LENGTH_OVERFLOW',
        None,
    ),
    (
        'length-overflow-truncated',
        'String cut in the middle of tag 62 (no CRC)',
        (lambda s: s[: next(off for p, off, _ in index_paths(s) if p == '62') + 10])(finish(B)),
        'LENGTH_OVERFLOW',
        None,
    ),
    (
        'length-overflow-bytes-not-characters',
        '64.01 "Café" written with its UTF-8 byte length (05) instead of 4 characters',
        finish(set_node(WITH_64, '64.01', Raw('0105Café'))),
        'LENGTH_OVERFLOW',
        None,
    ),
    (
        'length-overflow-utf16-units-not-code-points',
        '64.01 holding U+20BB7 written with its UTF-16 length (04) instead of 3 code points',
        finish(set_node(set_value(WITH_64, '64.00', 'ja'), '64.01', Raw('0104𠮷野家'))),
        'LENGTH_OVERFLOW',
        None,
    ),
    (
        'invalid-length-top-level',
        'Length of 59 written "1O" (letter O)',
        finish(set_node(B, '59', Raw('591OKEDAI KOPI SENJA'))),
        'INVALID_LENGTH',
        None,
    ),
    (
        'invalid-length-subtag',
        'Length of 62.07 written " 3" (space, digit)',
        finish(set_node(B, '62.07', Raw('07 3K01'))),
        'INVALID_LENGTH',
        None,
    ),
    (
        'invalid-tag-top-level',
        'Tag "5A" instead of 59',
        finish(set_node(B, '59', Raw('5A16KEDAI KOPI SENJA'))),
        'INVALID_TAG',
        None,
    ),
    (
        'invalid-tag-subtag',
        'Sub-tag "0A" instead of 07 in 62',
        finish(set_node(B, '62.07', Raw('0A03K01'))),
        'INVALID_TAG',
        None,
    ),
    (
        'empty-value-subtag',
        '62.08 with length 00',
        finish(insert_after(B, '62.07', ('08', ''))),
        'EMPTY_VALUE',
        '62.08',
    ),
    ('empty-value-top-level', 'Tag 61 with length 00', finish(set_value(B, '61', '')), 'EMPTY_VALUE', '61'),
    (
        'duplicate-tag-top-level',
        'Tag 60 written twice',
        finish(insert_after(B, '60', ('60', 'BANDUNG'))),
        'DUPLICATE_TAG',
        '60',
    ),
    (
        'duplicate-tag-subtag',
        'Sub-tag 62.01 written twice',
        finish(insert_after(B, '62.01', ('01', 'INV-2024-0002'))),
        'DUPLICATE_TAG',
        '62.01',
    ),
    (
        'duplicate-merchant-account-26',
        'Tag 26 written twice (a second issuer must use 27)',
        finish(insert_after(B, '26', acct('26', 'ID.DANA.WWW', '936009150000123456', '216001234567', 'UMI'))),
        'DUPLICATE_TAG',
        '26',
    ),
    ('empty-value-template', 'Tag 62 with length 00', finish(set_value(B, '62', [])), 'EMPTY_VALUE', '62'),
    (
        'invalid-character-merchant-name',
        'Non-ASCII "É" in 59 (allowed only inside 64)',
        finish(set_value(B, '59', 'KEDAI KOPI SENJA CAFÉ')),
        'INVALID_CHARACTER',
        '59',
    ),
    (
        'invalid-character-control',
        'Tab character in 62.08',
        finish(insert_after(B, '62.07', ('08', 'KOPI\tSUSU'))),
        'INVALID_CHARACTER',
        '62.08',
    ),
    # --- mandatory tags -------------------------------------------------------------------
    ('missing-01', 'No point of initiation', finish(remove(B, '01')), 'MISSING_TAG', '01'),
    ('missing-51', 'No tag 51 (26 present)', finish(remove(B, '51')), 'MISSING_TAG', '51'),
    ('missing-52', 'No merchant category code', finish(remove(B, '52')), 'MISSING_TAG', '52'),
    ('missing-53', 'No currency', finish(remove(B, '53')), 'MISSING_TAG', '53'),
    ('missing-58', 'No country code', finish(remove(B, '58')), 'MISSING_TAG', '58'),
    ('missing-59', 'No merchant name', finish(remove(B, '59')), 'MISSING_TAG', '59'),
    ('missing-60', 'No merchant city', finish(remove(B, '60')), 'MISSING_TAG', '60'),
    ('missing-61', 'No postal code', finish(remove(B, '61')), 'MISSING_TAG', '61'),
    (
        'no-merchant-account',
        'The only merchant account (51) removed: no template 26-51 at all',
        finish(remove(ONLY_51, '51')),
        'MISSING_MERCHANT_ACCOUNT',
        None,
    ),
    # --- header and framing values ------------------------------------------------------------
    (
        'invalid-point-of-initiation',
        'Tag 01 = "13"',
        finish(set_value(B, '01', '13')),
        'INVALID_POINT_OF_INITIATION',
        '01',
    ),
    ('invalid-mcc-3-digits', 'Tag 52 = "581"', finish(set_value(B, '52', '581')), 'INVALID_MCC', '52'),
    ('invalid-mcc-letter', 'Tag 52 = "58A2"', finish(set_value(B, '52', '58A2')), 'INVALID_MCC', '52'),
    ('invalid-currency', 'Tag 53 = "840" (USD)', finish(set_value(B, '53', '840')), 'INVALID_CURRENCY', '53'),
    ('invalid-country', 'Tag 58 = "SG"', finish(set_value(B, '58', 'SG')), 'INVALID_COUNTRY', '58'),
    (
        'invalid-merchant-name-26-chars',
        'Merchant name of 26 characters',
        finish(set_value(B, '59', 'KEDAI KOPI SENJA DAGO ATAS')),
        'INVALID_MERCHANT_NAME',
        '59',
    ),
    (
        'invalid-merchant-city-16-chars',
        'Merchant city of 16 characters',
        finish(set_value(B, '60', 'KAB. BANDUNG BRT')),
        'INVALID_MERCHANT_CITY',
        '60',
    ),
    (
        'invalid-postal-code-11-chars',
        'Postal code of 11 characters',
        finish(set_value(B, '61', '40115-00001')),
        'INVALID_POSTAL_CODE',
        '61',
    ),
    # --- amount and tip ---------------------------------------------------------------------
    ('invalid-amount-zero', 'Amount "0"', finish(set_value(B, '54', '0')), 'INVALID_AMOUNT', '54'),
    ('invalid-amount-zero-decimals', 'Amount "0.00"', finish(set_value(B, '54', '0.00')), 'INVALID_AMOUNT', '54'),
    ('invalid-amount-two-dots', 'Amount "50.000.00"', finish(set_value(B, '54', '50.000.00')), 'INVALID_AMOUNT', '54'),
    (
        'invalid-amount-14-chars',
        'Amount of 14 characters',
        finish(set_value(B, '54', '12500000000.00')),
        'INVALID_AMOUNT',
        '54',
    ),
    ('invalid-amount-comma', 'Amount "50,000"', finish(set_value(B, '54', '50,000')), 'INVALID_AMOUNT', '54'),
    ('invalid-amount-negative', 'Amount "-50000"', finish(set_value(B, '54', '-50000')), 'INVALID_AMOUNT', '54'),
    ('invalid-amount-leading-dot', 'Amount ".50"', finish(set_value(B, '54', '.50')), 'INVALID_AMOUNT', '54'),
    ('invalid-amount-trailing-dot', 'Amount "500."', finish(set_value(B, '54', '500.')), 'INVALID_AMOUNT', '54'),
    (
        'invalid-tip-indicator',
        'Tag 55 = "04"',
        finish(insert_after(B, '54', ('55', '04'))),
        'INVALID_TIP_INDICATOR',
        '55',
    ),
    (
        'unexpected-tip-fixed-with-prompt',
        'Tag 56 with 55 = 01',
        finish(insert_after(B, '54', ('55', '01'), ('56', '1000'))),
        'UNEXPECTED_TIP_VALUE',
        '56',
    ),
    (
        'unexpected-tip-fixed-without-indicator',
        'Tag 56 without 55',
        finish(insert_after(B, '54', ('56', '1000'))),
        'UNEXPECTED_TIP_VALUE',
        '56',
    ),
    (
        'unexpected-tip-percentage-with-fixed',
        'Tag 57 next to 55 = 02 and 56',
        finish(insert_after(B, '54', ('55', '02'), ('56', '1000'), ('57', '05.00'))),
        'UNEXPECTED_TIP_VALUE',
        '57',
    ),
    (
        'missing-tip-fixed-value',
        'Tag 55 = 02 without 56',
        finish(insert_after(B, '54', ('55', '02'))),
        'MISSING_TIP_VALUE',
        None,
    ),
    (
        'missing-tip-percentage-value',
        'Tag 55 = 03 without 57',
        finish(insert_after(B, '54', ('55', '03'))),
        'MISSING_TIP_VALUE',
        None,
    ),
    (
        'invalid-tip-fixed',
        'Tag 56 = "Rp2000"',
        finish(insert_after(B, '54', ('55', '02'), ('56', 'Rp2000'))),
        'INVALID_TIP_FIXED',
        '56',
    ),
    (
        'invalid-tip-percentage-zero',
        'Tag 57 = "00.00"',
        finish(insert_after(B, '54', ('55', '03'), ('57', '00.00'))),
        'INVALID_TIP_PERCENTAGE',
        '57',
    ),
    (
        'invalid-tip-percentage-100',
        'Tag 57 = "100.00"',
        finish(insert_after(B, '54', ('55', '03'), ('57', '100.00'))),
        'INVALID_TIP_PERCENTAGE',
        '57',
    ),
    # --- merchant account templates -------------------------------------------------------------
    ('missing-guid-26', 'Tag 26 without sub-tag 00', finish(remove(B, '26.00')), 'MISSING_GUID', None),
    (
        'missing-guid-unreserved',
        'Unreserved template 99 without sub-tag 00',
        finish(remove(WITH_99, '99.00')),
        'MISSING_GUID',
        None,
    ),
    (
        'invalid-guid-51',
        'Tag 51 carries ID.CO.SHOPEE.WWW instead of ID.CO.QRIS.WWW',
        finish(set_value(B, '51.00', 'ID.CO.SHOPEE.WWW')),
        'INVALID_GUID',
        '51.00',
    ),
    ('invalid-pan-15-digits', 'PAN of 15 digits', finish(set_value(B, '26.01', '936009180012345')), 'INVALID_PAN', '26.01'),
    (
        'invalid-pan-20-digits',
        'PAN of 20 digits',
        finish(set_value(B, '26.01', '93600918001234567890')),
        'INVALID_PAN',
        '26.01',
    ),
    (
        'invalid-pan-letter',
        'PAN with a letter',
        finish(set_value(B, '26.01', '93600918001234567X')),
        'INVALID_PAN',
        '26.01',
    ),
    (
        'invalid-merchant-id-16-chars',
        'Merchant ID (26.02) of 16 characters',
        finish(set_value(B, '26.02', '1234567890123456')),
        'INVALID_MERCHANT_ID',
        '26.02',
    ),
    (
        'invalid-merchant-criteria-26',
        'Criteria "UMX" in 26.03',
        finish(set_value(B, '26.03', 'UMX')),
        'INVALID_MERCHANT_CRITERIA',
        '26.03',
    ),
    (
        'invalid-merchant-criteria-51-lowercase',
        'Criteria "umi" in 51.03',
        finish(set_value(B, '51.03', 'umi')),
        'INVALID_MERCHANT_CRITERIA',
        '51.03',
    ),
    ('missing-nmid', 'Tag 51 without sub-tag 02', finish(remove(B, '51.02')), 'MISSING_NMID', None),
    ('invalid-nmid-9-digits', 'NMID "ID" + 9 digits', finish(set_value(B, '51.02', 'ID123456789')), 'INVALID_NMID', '51.02'),
    (
        'invalid-nmid-14-digits',
        'NMID "ID" + 14 digits',
        finish(set_value(B, '51.02', 'ID10234567890123')),
        'INVALID_NMID',
        '51.02',
    ),
    (
        'invalid-nmid-lowercase-prefix',
        'NMID with "id" prefix',
        finish(set_value(B, '51.02', 'id1023456789012')),
        'INVALID_NMID',
        '51.02',
    ),
    # --- additional data and language templates -------------------------------------------------
    (
        'invalid-consumer-data-request-letter',
        '62.09 = "AX"',
        finish(insert_after(B, '62.07', ('09', 'AX'))),
        'INVALID_ADDITIONAL_DATA',
        '62.09',
    ),
    (
        'invalid-consumer-data-request-repeated',
        '62.09 = "AA"',
        finish(insert_after(B, '62.07', ('09', 'AA'))),
        'INVALID_ADDITIONAL_DATA',
        '62.09',
    ),
    (
        'invalid-bill-number-26-chars',
        '62.01 of 26 characters',
        finish(set_value(B, '62.01', 'INV-2024-0001-0002-0003-00')),
        'INVALID_ADDITIONAL_DATA',
        '62.01',
    ),
    (
        'invalid-language-missing-name',
        'Tag 64 without sub-tag 01',
        finish(remove(WITH_64, '64.01')),
        'INVALID_LANGUAGE_TEMPLATE',
        None,
    ),
    (
        'invalid-language-missing-preference',
        'Tag 64 without sub-tag 00',
        finish(remove(WITH_64, '64.00')),
        'INVALID_LANGUAGE_TEMPLATE',
        None,
    ),
    (
        'invalid-language-uppercase',
        '64.00 = "FR"',
        finish(set_value(WITH_64, '64.00', 'FR')),
        'INVALID_LANGUAGE_TEMPLATE',
        '64.00',
    ),
    (
        'invalid-language-three-letters',
        '64.00 = "fra"',
        finish(set_value(WITH_64, '64.00', 'fra')),
        'INVALID_LANGUAGE_TEMPLATE',
        '64.00',
    ),
]

# Control bases must be valid: same checks as the valid vectors, but not exported.
CONTROL_BASES = [B, WITH_64, WITH_99, ONLY_51, LOWER_CRC_BASE]


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def check_well_formed(text):
    """Self-check with the independent reader: structure, CRC, 00 first, 63 last."""
    paths = index_paths(text)
    top = [p for p in paths if '.' not in p[0]]
    assert top[0][0] == '00' and top[-1][0] == '63', text
    assert crc(text[:-4]) == text[-4:], text
    assert all(ord(c) < 0x7F and c.isprintable() for p, _, v in paths if not p.startswith('64') for c in v), text
    assert len(text) <= 512, text
    return paths


def offset_of(text, path):
    try:
        hits = [off for p, off, _ in index_paths(text) if p == path]
    except ValueError:
        return None
    if len(hits) != 1:
        return None
    off = hits[0]
    # Offsets here are code points; keep only vectors where UTF-16 index agrees (no astral chars before).
    assert utf16_offset(text, off) == off, (text, path)
    return off


def to_json(value, indent=0, prefix_len=0):
    """json.dumps(indent=2) as Biome formats it (lineWidth 110): arrays of scalars inline when they fit."""
    pad = '  ' * indent
    if isinstance(value, dict):
        if not value:
            return '{}'
        items = [
            f'{pad}  {json.dumps(k, ensure_ascii=False)}: '
            + to_json(v, indent + 1, len(pad) + 4 + len(json.dumps(k, ensure_ascii=False)))
            for k, v in value.items()
        ]
        return '{\n' + ',\n'.join(items) + '\n' + pad + '}'
    if isinstance(value, list):
        if not value:
            return '[]'
        if all(not isinstance(v, (dict, list)) for v in value):
            inline = '[' + ', '.join(json.dumps(v, ensure_ascii=False) for v in value) + ']'
            if prefix_len + len(inline) + 1 <= 110:
                return inline
        items = [f'{pad}  ' + to_json(v, indent + 1, len(pad) + 2) for v in value]
        return '[\n' + ',\n'.join(items) + '\n' + pad + ']'
    return json.dumps(value, ensure_ascii=False)


def main():
    for nodes in CONTROL_BASES:
        check_well_formed(finish(nodes))

    valid = []
    for v in VALID:
        text = finish(v['nodes'])
        check_well_formed(text)
        fields = fields_of(v['nodes'], text[-4:])
        valid.append(
            {
                'name': v['name'],
                'description': v['description'],
                'input': text,
                'expected': fields,
                'absent': [k for k in OPTIONAL_FIELDS if k not in fields],
                'warnings': v['warnings'],
            }
        )

    assert valid[0]['input'] == PAKASIR, valid[0]['input']
    assert crc(PAKASIR[:-4]) == 'A079'
    assert crc('123456789') == '29B1'
    leading = next(v for v in valid if v['name'] == 'dynamic-crc-leading-zero')
    assert leading['input'][-4] == '0'
    latin = next(x for x in INVALID if x[0] == 'crc-over-latin1-not-utf8')[2]
    assert crc(latin[:-4]) != latin[-4:]

    invalid = []
    for name, description, text, code, path in INVALID:
        entry = {'name': name, 'description': description, 'input': text, 'expectedCode': code}
        if path is not None:
            entry['expectedPath'] = path
            if code != 'DUPLICATE_TAG':
                off = offset_of(text, path)
                if off is not None:
                    entry['expectedOffset'] = off
        invalid.append(entry)

    names = [v['name'] for v in valid] + [v['name'] for v in invalid]
    assert len(names) == len(set(names)), 'duplicate vector names'
    inputs = [v['input'] for v in valid] + [v['input'] for v in invalid]
    assert len(inputs) == len(set(inputs)), 'duplicate vector inputs'

    out = {
        '$comment': 'Generated by generate.py (python3 generate.py). Do not edit by hand.',
        'valid': valid,
        'invalid': invalid,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'vectors.json')
    with open(path, 'w', encoding='utf-8', newline='\n') as fh:
        fh.write(to_json(out))
        fh.write('\n')
    print(f'wrote {path}: {len(valid)} valid, {len(invalid)} invalid')


if __name__ == '__main__':
    main()
