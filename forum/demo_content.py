"""The demo community's words: members, forums, topics and replies.

Neutral, realistic content for ``manage.py seed_demo``: a general-interest
community (photography, gardening, making things, tech help), written to
exercise every kind of Markdown the pipeline supports. ``attachment:<key>``
names a picture drawn by ``forum.demo_images``; the seed uploads it as the
post's author and puts the real attachment id in its place.
"""

from __future__ import annotations

MEMBERS: list[tuple[str, str]] = [
    # (username, member title)
    ("spidermike007", "Community Regular"),
    ("marta_k", "Moderator"),
    ("oldmanriver", "Veteran Member"),
    ("lena.builds", "Maker"),
    ("quietfox", ""),
    ("tomasz_w", "Photographer"),
    ("gardengnome42", "Green Thumb"),
    ("pixelpusher", ""),
    ("ruth_ellis", "Community Regular"),
    ("kwame.a", ""),
    ("n0rthernlight", "Night Sky Fan"),
    ("bea_makes", "Maker"),
    ("dieter", ""),
    ("sunny_side", "Newbie"),
    ("hollowtree", ""),
    ("ivan_petrov", "Veteran Member"),
    ("jules_v", ""),
    ("mossandstone", "Green Thumb"),
    ("captain_obvious", ""),
    ("priya_n", "Photographer"),
    ("feral_coder", "Tinkerer"),
    ("grandpa_joe", ""),
    ("amelie.r", ""),
    ("slowcooker", "Kitchen Scientist"),
    ("wanderingwil", ""),
    ("yuki_t", ""),
    ("basil_and_thyme", "Green Thumb"),
    ("chen_li", ""),
    ("ferrisbueller", ""),
    ("ottilie", "Newbie"),
]

# (category, description, [(forum, description, read_access)])
STRUCTURE: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    (
        "Community",
        "News, introductions and the running of this place.",
        [
            ("Announcements", "News from the team. Read these first.", "everyone"),
            ("Introduce Yourself", "New here? Say hello and tell us what you're into.", "everyone"),
            ("Feedback & Suggestions", "Ideas to make the community better.", "everyone"),
        ],
    ),
    (
        "Photography",
        "Cameras, lenses, light and everything in between.",
        [
            ("Gear Talk", "Bodies, glass, bags and the eternal upgrade itch.", "everyone"),
            ("Critique Corner", "Share a shot and get honest, friendly feedback.", "everyone"),
        ],
    ),
    (
        "Home & Garden",
        "Growing things and fixing things.",
        [
            ("Gardening", "Vegetables, flowers, compost and pests.", "everyone"),
            ("DIY & Workshop", "Woodworking, repairs, electronics and projects.", "everyone"),
        ],
    ),
    (
        "Off-Topic",
        "Everything else.",
        [
            ("The Lounge", "Chat about anything that doesn't fit elsewhere.", "everyone"),
            ("Members' Corner", "A quieter room for signed-in members.", "members"),
        ],
    ),
]

# Members who have uploaded an avatar (drawn by forum.demo_images.avatar);
# everyone else shows their initials.
MEMBERS_WITH_AVATARS: list[str] = [
    "spidermike007", "marta_k", "lena.builds", "tomasz_w", "gardengnome42",
    "n0rthernlight", "priya_n", "feral_coder",
]  # fmt: skip

# (forum, author, title, body, replies); replies are picked from REPLIES by
# index so that each topic reads like a conversation.
TOPICS: list[tuple[str, str, str, str, int]] = [
    (
        "Announcements",
        "marta_k",
        "Welcome to the community: please read before posting",
        """Hello and **welcome**! We're glad you found us.

A few ground rules so everyone has a good time:

1. Be kind. Disagree with ideas, not people.
2. Search before you post; your question may already have an answer.
3. Keep it on topic, and use *The Lounge* for everything else.
4. No spam, no self-promotion without asking a moderator first.

### Formatting your posts

Posts use Markdown. A few things you can do:

| You type | You get |
|---|---|
| `**bold**` | **bold** |
| `_italic_` | _italic_ |
| `> quote` | a block quote |
| `` `code` `` | `code` |

If something looks wrong, use the **Report** button and a moderator will have a look.

Enjoy your stay!""",
        6,
    ),
    (
        "Introduce Yourself",
        "sunny_side",
        "Hi all, new member from the coast",
        """Hi everyone! Long-time lurker, first-time poster.

I picked up an old film camera at a flea market last month and I've been
hooked ever since. Also trying (and mostly failing) to grow tomatoes on a
windy balcony.

Looking forward to learning from you all.""",
        9,
    ),
    (
        "Gear Talk",
        "tomasz_w",
        "Is a 50mm prime still the best first lens?",
        """Every beginner guide says the same thing: buy a **50mm f/1.8** first.

But with how good modern kit zooms are, I'm not so sure anymore. Pros of the prime:

- cheap and sharp
- fast aperture for low light
- forces you to *move your feet*

Cons:

- on a crop body it's more like 75-80mm, which is awkward indoors
- no stabilisation on most of them

What did you start with, and would you do it again?""",
        14,
    ),
    (
        "Critique Corner",
        "priya_n",
        "Morning fog over the river: too much contrast?",
        """Shot this at 6am last Sunday. I pushed the contrast in editing and now
I can't tell if it's moody or just muddy.

![Morning fog over the river](attachment:fog)

Settings: 35mm, f/8, 1/250s, ISO 200. Edited in darktable.

Be honest, I can take it!""",
        8,
    ),
    (
        "Gardening",
        "gardengnome42",
        "Tomato leaves curling upwards: what am I doing wrong?",
        """My tomato plants looked great until last week. Now the leaves are
curling *upwards* and getting a bit leathery.

- Variety: Gardener's Delight and a San Marzano
- In 30 litre pots, south-facing
- Watering every evening
- Fed with a liquid tomato feed once a week

![The worst of them, this morning](attachment:tomato_leaves)

No spots, no bugs that I can see. Heat stress? Overwatering? Help!""",
        11,
    ),
    (
        "Gardening",
        "basil_and_thyme",
        "Compost bin that doesn't smell: my setup after three years",
        """After three years of trial and error, my compost finally smells like
forest floor instead of a bin lorry. Here's what worked:

1. **Ratio** of roughly 2 parts browns (cardboard, leaves) to 1 part greens
2. Turn it every two weeks
3. Keep it as damp as a *wrung-out sponge*
4. No cooked food, no meat, no dairy

> The single biggest change was shredding the cardboard instead of
> throwing in whole boxes.

Happy to answer questions.""",
        5,
    ),
    (
        "DIY & Workshop",
        "lena.builds",
        "Show us your workspace (2026 edition)",
        """It's that time again! Post a photo or a description of where you make
things: desks, benches, sheds, kitchen tables, all welcome.

Mine: a 2m beech workbench I built from an old school lab table, a pegboard
wall, and far too many clamps. Lighting is two 5000K LED strips, which made a
*huge* difference for finishing work.

![My bench and the pegboard wall](attachment:workbench)

Rules: no judging the mess. We all have one.""",
        78,
    ),
    (
        "DIY & Workshop",
        "feral_coder",
        "Raspberry Pi greenhouse monitor: code and wiring",
        """Built a little monitor for the greenhouse: temperature, humidity and
soil moisture, logged every five minutes.

Parts:

- Raspberry Pi Zero 2 W
- BME280 sensor (I2C)
- capacitive soil moisture sensor + ADS1115 ADC

The logging loop is tiny:

```python
import time

import board
from adafruit_bme280 import basic as adafruit_bme280

sensor = adafruit_bme280.Adafruit_BME280_I2C(board.I2C())

while True:
    print(f"{sensor.temperature:.1f} C, {sensor.humidity:.0f} %")
    time.sleep(300)
```

Wiring diagram and the full code are on my site: https://example.org/greenhouse-pi

Questions and improvements welcome.""",
        12,
    ),
    (
        "Feedback & Suggestions",
        "ruth_ellis",
        "Suggestion: a monthly photo challenge",
        """What do people think about a monthly photo challenge? A theme is
announced on the 1st, entries in one topic, and we vote in the last week.

Possible first themes:

- *Reflections*
- *Something blue*
- *Hands at work*

Nothing to win except bragging rights.""",
        16,
    ),
    (
        "The Lounge",
        "captain_obvious",
        "What are you reading this month?",
        """Finished *The Overstory* last week and I'm still thinking about trees.

Currently halfway through a history of lighthouses, which is exactly as
niche and wonderful as it sounds. What's on your nightstand?""",
        21,
    ),
    (
        "The Lounge",
        "slowcooker",
        "Sourdough starter: day 9 and still nothing",
        """Day 9. Flour and water, fed twice a day, kitchen around 20°C.
A few bubbles on day 3, then **nothing**.

Is it dead? Should I switch to rye? Do I need to talk to it?""",
        7,
    ),
    (
        "Members' Corner",
        "oldmanriver",
        "Ten years on forums: what kept you coming back?",
        """I've been on message boards since the days of dial-up. The ones that
lasted all had a few things in common: good moderators, a reason to come back
daily, and regulars who answered newcomers kindly.

What keeps *you* here?""",
        6,
    ),
    (
        "Gear Talk",
        "n0rthernlight",
        "Budget tripod for astrophotography?",
        """Looking for a tripod that won't wobble in a light breeze for long
exposures of the Milky Way. Budget is about 150.

Carbon fibre seems out of reach; is a heavy aluminium one fine if I hang my
bag from the hook?""",
        10,
    ),
    (
        "Introduce Yourself",
        "ottilie",
        "Hello from a retired teacher with too many houseplants",
        """Hello! Retired last year after 34 years of teaching chemistry.
I now have **47** houseplants and a husband who has stopped counting.

I'm here mostly for the gardening forum but I used to do a lot of darkroom
printing, so I may wander into the photography side too.""",
        4,
    ),
]

REPLIES: list[str] = [
    "Great post, thanks for taking the time to write this up.",
    "Welcome aboard! You'll like it here.",
    """I had the same problem last summer. Two things helped:

1. watering in the **morning** instead of the evening
2. a shade cloth during the hottest hours

Within a week the new growth was normal.""",
    "Following this one, I'm curious what others say.",
    """Counterpoint: a kit zoom at 35mm and f/5.6 is *fine* for learning.
The prime is nice but it isn't magic.""",
    "Totally agree with the above. Buy the cheap prime, learn light, upgrade later.",
    """Here's my setup for comparison:

- desk: 160cm, height-adjustable
- chair: second-hand office chair, best money I ever spent
- light: one big daylight panel behind the monitor

Cable management is a work in progress. Permanently.""",
    "That looks amazing. How long did the whole build take you?",
    "Honestly I think the contrast works. It feels like the fog is *lifting*.",
    """I'd pull the blacks back a touch. On my screen the tree line on the
left is pure black with no detail at all.""",
    "Can confirm: rye flour woke mine up in two days. Don't give up!",
    """Quick tip from someone who learned the hard way: `git commit` your
config before you change anything. Saved me twice this week.""",
    "Oh I love this idea. Count me in for *Reflections*.",
    "+1 to a monthly challenge. Maybe a separate forum for entries?",
    "Just finished *Piranesi* and I need to talk to someone about it.",
    """Reading order I'd recommend:

1. *Station Eleven*
2. *The Glass Hotel*
3. *Sea of Tranquility*

They stand alone but the links are lovely.""",
    "Good question. I don't have an answer but I'd like to know too.",
    "That's a beautiful bench. Is the top finished with oil or wax?",
    "Oil, three coats of hardwax oil. Easy to repair when I inevitably gouge it.",
    "I'm stealing the pegboard idea. My clamps are currently on the floor.",
    """Heavy aluminium is fine. Hang the bag, extend the thick leg sections
first, and use a 2-second timer or a remote. That's 90% of the sharpness.""",
    "Welcome! What camera did you find at the flea market?",
    "An Olympus OM-1 with a 50mm f/1.8. Works perfectly, the light meter too!",
    "Lucky find. Those are lovely cameras.",
    "Leaf curl upward is usually heat or wind. Balconies get both.",
    """Nice project! Two suggestions:

- log to a CSV or SQLite so you can graph it later
- the capacitive sensors drift, so calibrate dry and wet values once a month""",
    "Thanks, I'll switch to SQLite. Graphs are exactly what I want.",
    "The greenhouse code is so clean. Bookmarked for the spring.",
    "Three years of compost wisdom in one post. Thank you!",
    "What do you do about fruit flies in the kitchen caddy?",
    "A lid and emptying it every other day. And a small vinegar trap next to it.",
    "Welcome! 47 is a perfectly reasonable number of houseplants.",
    "The husband has stopped counting, which means you can get a 48th.",
    "Moderators and regulars who are kind to newcomers. That's the whole secret.",
    "For me it's that people actually *answer*. Social media never did that.",
    "Workspace update: finally mounted the monitor arm. Desk feels twice as big.",
    "Here's my corner of the garage. Small, but everything has a place.",
    "Does anyone have a good dust collection setup for a small shop?",
    "A shop vac with a cyclone separator on a bucket. Cheap and it works.",
    "Second the cyclone. Mine fills the bucket, not the filter.",
    "Love seeing all these setups. Inspiring stuff.",
    "What lights are those? The colour looks really even.",
    "They're 5000K LED strips with a high CRI, about 95. Worth the extra money.",
    "I finally cleared my bench this weekend. It lasted about four hours.",
    "Is that a vintage drill press? Those old ones are built like tanks.",
    "Yes! A 1970s one from an auction. New belt and bearings and it runs perfectly.",
    "My workspace is the kitchen table and a box of tools. Still counts!",
    "It absolutely counts. Some of the best projects here started on kitchen tables.",
    "Pro tip: a cheap moving blanket on the table saves it from scratches.",
    "How do you keep the sawdust out of the rest of the house?",
    "A door, a draft excluder, and a strict no-shoes-beyond-this-point rule.",
]

# Replies written for a place in a topic: {topic title: {reply index: (author, text)}}.
PLACED_REPLIES: dict[str, dict[int, tuple[str, str]]] = {
    "Budget tripod for astrophotography?": {
        2: (
            "tomasz_w",
            """A heavy aluminium one is fine. Here's 30 seconds at ISO 1600 on my
old 90 tripod with the bag hanging from the hook, no wobble at all:

![Orion over the allotments](attachment:night_sky)

Use a 2 second timer so pressing the button doesn't shake it.""",
        ),
    },
    "Raspberry Pi greenhouse monitor: code and wiring": {
        1: (
            "feral_coder",
            """Update: yesterday's readings, every two hours. It got hotter in
there than I expected around 3pm, so a vent fan is next.

![Greenhouse temperature over one day](attachment:sensor_chart)""",
        ),
    },
}

# How often each reaction type is given in the demo (relative weights).
REACTION_MIX: list[tuple[str, int]] = [
    ("Like", 10),
    ("Thanks", 5),
    ("Thumbs Up", 5),
    ("Haha", 2),
    ("Confused", 1),
    ("Sad", 1),
]
