"""The maturity scale, 0-4 from analog to smart (see DESIGN.md, "The maturity model")."""

LEVEL_NAMES = (
    {"en": "Analog"},
    {"en": "Digital basics"},
    {"en": "Digitised"},
    {"en": "Connected"},
    {"en": "Smart"},
)

LEVEL_MEANINGS = (
    {"en": "Work is manual and mechanical, records are on paper and know-how lives in people's heads."},
    {"en": "Computers and phones are in use, with spreadsheets, e-mail or messaging and some standalone digital equipment."},
    {"en": "Business software, design software and programmable machines are in use, but they work as islands that do not share data."},
    {"en": "Machines and systems are networked and data is captured automatically and seen across the firm in near real time."},
    {"en": "Data is analysed to predict and optimise, machines adjust themselves, robots are integrated and systems link with suppliers and customers."},
)

TOP_LEVEL = len(LEVEL_NAMES) - 1
