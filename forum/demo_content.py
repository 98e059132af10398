"""The demo community's words: members, forums, topics and replies.

Neutral, realistic content for ``manage.py seed_demo``: a general-interest
community (photography, gardening, making things, tech help), written to
exercise every kind of Markdown the pipeline supports. Every topic has its
own conversation (``REPLIES``): who answers whom, and which post a reply
quotes. Posts are typed as members type them, one line a paragraph (the
pipeline turns a newline into a line break). ``attachment:<key>`` names a
picture drawn by ``forum.demo_images``; the seed uploads it as the post's
author and puts the real attachment id in its place.
"""

from __future__ import annotations

from typing import NamedTuple

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

# (forum, author, title, body); each topic's replies are REPLIES[title], with
# the PLACED_REPLIES of that title slotted in at their indexes.
TOPICS: list[tuple[str, str, str, str]] = [
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
    ),
    (
        "Introduce Yourself",
        "sunny_side",
        "Hi all, new member from the coast",
        """Hi everyone! Long-time lurker, first-time poster.

I picked up an old film camera at a flea market last month and I've been hooked ever since. Also trying (and mostly failing) to grow tomatoes on a windy balcony.

Looking forward to learning from you all.""",
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
    ),
    (
        "Critique Corner",
        "priya_n",
        "Morning fog over the river: too much contrast?",
        """Shot this at 6am last Sunday. I pushed the contrast in editing and now I can't tell if it's moody or just muddy.

![Morning fog over the river](attachment:fog)

Settings: 35mm, f/8, 1/250s, ISO 200. Edited in darktable.

Be honest, I can take it!""",
    ),
    (
        "Gardening",
        "gardengnome42",
        "Tomato leaves curling upwards: what am I doing wrong?",
        """My tomato plants looked great until last week. Now the leaves are curling *upwards* and getting a bit leathery.

- Variety: Gardener's Delight and a San Marzano
- In 30 litre pots, south-facing
- Watering every evening
- Fed with a liquid tomato feed once a week

![The worst of them, this morning](attachment:tomato_leaves)

No spots, no bugs that I can see. Heat stress? Overwatering? Help!""",
    ),
    (
        "Gardening",
        "basil_and_thyme",
        "Compost bin that doesn't smell: my setup after three years",
        """After three years of trial and error, my compost finally smells like forest floor instead of a bin lorry. Here's what worked:

1. **Ratio** of roughly 2 parts browns (cardboard, leaves) to 1 part greens
2. Turn it every two weeks
3. Keep it as damp as a *wrung-out sponge*
4. No cooked food, no meat, no dairy

> The single biggest change was shredding the cardboard instead of throwing in whole boxes.

Happy to answer questions.""",
    ),
    (
        "DIY & Workshop",
        "lena.builds",
        "Show us your workspace (2026 edition)",
        """It's that time again! Post a photo or a description of where you make things: desks, benches, sheds, kitchen tables, all welcome.

Mine: a 2m beech workbench I built from an old school lab table, a pegboard wall, and far too many clamps. Lighting is two 5000K LED strips, which made a *huge* difference for finishing work.

![My bench and the pegboard wall](attachment:workbench)

Rules: no judging the mess. We all have one.""",
    ),
    (
        "DIY & Workshop",
        "feral_coder",
        "Raspberry Pi greenhouse monitor: code and wiring",
        """Built a little monitor for the greenhouse: temperature, humidity and soil moisture, logged every five minutes.

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
    ),
    (
        "Feedback & Suggestions",
        "ruth_ellis",
        "Suggestion: a monthly photo challenge",
        """What do people think about a monthly photo challenge? A theme is announced on the 1st, entries in one topic, and we vote in the last week.

Possible first themes:

- *Reflections*
- *Something blue*
- *Hands at work*

Nothing to win except bragging rights.""",
    ),
    (
        "The Lounge",
        "captain_obvious",
        "What are you reading this month?",
        """Finished *The Overstory* last week and I'm still thinking about trees.

Currently halfway through a history of lighthouses, which is exactly as niche and wonderful as it sounds. What's on your nightstand?""",
    ),
    (
        "The Lounge",
        "slowcooker",
        "Sourdough starter: day 9 and still nothing",
        """Day 9. Flour and water, fed twice a day, kitchen around 20°C. A few bubbles on day 3, then **nothing**.

Is it dead? Should I switch to rye? Do I need to talk to it?""",
    ),
    (
        "Members' Corner",
        "oldmanriver",
        "Ten years on forums: what kept you coming back?",
        """I've been on message boards since the days of dial-up. The ones that lasted all had a few things in common: good moderators, a reason to come back daily, and regulars who answered newcomers kindly.

What keeps *you* here?""",
    ),
    (
        "Gear Talk",
        "n0rthernlight",
        "Budget tripod for astrophotography?",
        """Looking for a tripod that won't wobble in a light breeze for long exposures of the Milky Way. Budget is about 150.

Carbon fibre seems out of reach; is a heavy aluminium one fine if I hang my bag from the hook?""",
    ),
    (
        "Introduce Yourself",
        "ottilie",
        "Hello from a retired teacher with too many houseplants",
        """Hello! Retired last year after 34 years of teaching chemistry. I now have **47** houseplants and a husband who has stopped counting.

I'm here mostly for the gardening forum but I used to do a lot of darkroom printing, so I may wander into the photography side too.""",
    ),
]


class Reply(NamedTuple):
    """One reply of a demo conversation."""

    # The member who writes it; None: any member but the topic's starter and
    # the authors of the posts just before and after it.
    author: str | None
    text: str
    # The position in the topic (1 is the first post) of the post this reply
    # quotes, above its own words; it answers that post.
    quotes: int | None = None


# Each topic's own conversation, in order: {topic title: [Reply]}. Post #2 is
# the first reply, so a reply at index i is post #i+2 (PLACED_REPLIES take
# their indexes first and shift the rest along).
REPLIES: dict[str, list[Reply]] = {
    "Welcome to the community: please read before posting": [
        Reply(
            "oldmanriver",
            "Thanks for putting this together. The formatting table is handy, I had no idea tables worked here.",
        ),
        Reply(
            "tomasz_w",
            "Question about rule 4: does a link to my own photo site count as self-promotion? I'd like to add it under some critique posts, but not if it breaks the rules.",
        ),
        Reply(
            "marta_k",
            """Good question. A link to your own photos in a critique post is fine: that's sharing your work, not promotion.

Where we'd like a heads-up first:

- selling prints, presets or courses
- giveaways and competitions
- the same link in every post you write""",
            quotes=3,
        ),
        Reply(
            "feral_coder",
            """One more formatting tip for anyone posting code: put it between three backticks so the indentation survives.

~~~
```python
for plant in greenhouse:
    water(plant)
```
~~~

You can name the language after the backticks, as above.""",
        ),
        Reply(
            "marta_k",
            "Good addition, thanks feral_coder! I'll work it into the table next time I edit the post.",
        ),
        Reply(
            "quietfox",
            "Read and understood. Hello everyone, I'm mostly here for the workshop forum.",
        ),
    ],
    "Hi all, new member from the coast": [
        Reply("ruth_ellis", "Welcome! What camera did you find at the flea market?"),
        Reply(
            "sunny_side",
            "An Olympus OM-1 with a 50mm f/1.8, for about the price of a sandwich. The light meter even works!",
        ),
        Reply(
            "tomasz_w",
            "Lucky find. Check the **light seals** around the back door: on cameras that age the foam often turns to goo, and that lets light leak onto the edge of the frame. A replacement kit costs very little.",
            quotes=3,
        ),
        Reply(
            "gardengnome42",
            "Welcome from a fellow tomato grower! For a windy balcony, look for _bush_ (determinate) varieties: they stay short and don't act like sails. Come over to the Gardening forum, we're talking about curling leaves right now.",
        ),
        Reply(
            "sunny_side",
            "I'd never heard of light seals. My first roll had an orange streak along one side on a few frames, so that might be exactly it. I'll check tonight.",
            quotes=4,
        ),
        Reply(
            "tomasz_w",
            "An orange streak along the edge is the classic light leak, yes. There's a good step-by-step guide with pictures here: [replacing light seals](https://example.org/film/light-seals). Take your time with the old foam, it gets everywhere.",
        ),
        Reply(
            "ottilie",
            "Welcome! If you ever want to develop black and white at home, it's easier than people think: a tank, three chemicals and a dark cupboard for loading the film.",
        ),
        Reply(
            "sunny_side",
            "Home developing is very tempting. Adding it to the list, right after _keep the tomatoes alive_.",
        ),
        Reply(
            "marta_k",
            "Welcome aboard, sunny_side! Once you've got a few rolls through it, Critique Corner is a friendly place to share them.",
        ),
    ],
    "Is a 50mm prime still the best first lens?": [
        Reply(
            "pixelpusher",
            "Counterpoint: a kit zoom at 35mm and f/5.6 is _fine_ for learning. The prime is nice but it isn't magic.",
        ),
        Reply(
            "priya_n",
            "I started with the kit zoom and bought a 50mm a year later. The prime taught me more in a month, mostly because I couldn't zoom to avoid deciding where to stand.",
        ),
        Reply(
            "dieter",
            "On a crop body I'd skip the 50 and get a 35mm f/1.8 (or the 23/24mm in some systems). Same price class, and it gives you a _normal_ field of view, so it works indoors too.",
        ),
        Reply(
            "tomasz_w",
            "That's where I'm leaning. The 50 on my crop body is great for portraits outside and useless in my flat.",
            quotes=4,
        ),
        Reply(
            "kwame.a",
            """Field of view comparison, for anyone wondering (crop factor 1.5):

| Lens | On full frame | On APS-C |
|---|---|---|
| 24mm | wide | like 36mm, almost normal |
| 35mm | moderate wide | like 52mm, **normal** |
| 50mm | normal | like 75mm, short tele |

So on crop, the 35 _is_ the classic 50.""",
        ),
        Reply(
            "pixelpusher",
            "Nice table. And f/1.8 on crop gives roughly the depth of field of f/2.8 on full frame, so the _creamy background_ argument is weaker than the guides make it sound.",
        ),
        Reply(
            "priya_n",
            "True, but the extra light still matters. Indoors at night f/1.8 against f/5.6 is more than three stops: ISO 800 instead of ISO 6400.",
        ),
        Reply(
            "captain_obvious",
            "The best first lens is the one that's on the camera when something interesting happens.",
        ),
        Reply("tomasz_w", "Ha, fair. Mine was in the bag both times the deer walked past."),
        Reply(
            "grandpa_joe",
            "I started with a 50mm because that's what came with the camera. Nobody asked us. Still have it, still use it.",
        ),
        Reply(
            "hollowtree",
            "Is stabilisation a big deal at these focal lengths? My body has none, and I'm wondering whether a stabilised zoom beats a fast prime.",
        ),
        Reply(
            "kwame.a",
            "Rule of thumb: handheld, keep the shutter at 1/(focal length × crop factor) or faster, so a 35mm on crop wants about 1/50s. Stabilisation buys you a few stops for _still_ subjects, but only a fast aperture freezes people who move.",
            quotes=12,
        ),
        Reply(
            "tomasz_w",
            """Thanks everyone, this was more useful than ten review sites. Summary for whoever finds this later:

- **full frame**: a 50mm f/1.8 is still a great first prime
- **crop**: get the 35mm (or equivalent) f/1.8 instead
- a kit zoom is fine for learning; the prime is about light and habits, not magic

Ordered the 35 last night.""",
        ),
        Reply("priya_n", "Great summary. Post the first results in Critique Corner!"),
    ],
    "Morning fog over the river: too much contrast?": [
        Reply(
            "pixelpusher",
            "Honestly I think the contrast works. It feels like the fog is _lifting_.",
        ),
        Reply(
            "tomasz_w",
            "I'd pull the blacks back a touch. On my screen the tree line on the left is pure black with no detail at all. Fog usually wants _less_ contrast than you think: the whole point is that everything fades into grey.",
        ),
        Reply(
            "priya_n",
            "Hmm, you might be right about the tree line. I had the black point almost at the left edge of the histogram. Would you lift the blacks, or lower the contrast overall?",
            quotes=3,
        ),
        Reply(
            "tomasz_w",
            """Lift the blacks and leave the midtones alone. Roughly:

1. raise the left end of the tone curve until the darkest trees just show texture
2. add a little local contrast to the water only
3. check it on your phone: phones are brutal with crushed shadows""",
        ),
        Reply(
            "n0rthernlight",
            "The composition is lovely, the far bank sits right on the lower third. I'd crop a little off the top though; the sky is an empty band of grey.",
        ),
        Reply(
            "ottilie",
            "From someone who printed in a darkroom for years: this is the kind of negative we'd have printed on a _soft_ grade of paper. Crushed blacks on a foggy scene were my students' first mistake every year, and mine too.",
        ),
        Reply(
            "priya_n",
            "Thank you all! Version two: blacks lifted, a slice of sky cropped off, overall contrast down a bit. It feels much more like the morning did. I'll post the two side by side once I've slept on it.",
        ),
        Reply("quietfox", "Looking forward to it. This thread was a good lesson for me too."),
    ],
    "Tomato leaves curling upwards: what am I doing wrong?": [
        Reply(
            "mossandstone",
            "Upward curl with leathery leaves and no spots is almost always _physiological leaf roll_. It looks alarming, but it's the plant protecting itself from heat and uneven watering. It rarely hurts the fruit.",
        ),
        Reply("sunny_side", "Mine on the balcony do the same! I assumed it was the wind."),
        Reply(
            "basil_and_thyme",
            "Watering every evening in 30 litre pots might be too much rather than too little. Do the pots drain freely? Push a finger in up to the second knuckle before you water: if it's damp, skip a day.",
        ),
        Reply(
            "gardengnome42",
            "They drain, but now that you mention it, the top is still damp most mornings. I'll try the finger test.",
            quotes=4,
        ),
        Reply(
            "slowcooker",
            "Also check the feed. Too much nitrogen gives thick, dark, curled leaves. Tomato feed is usually high in potash, so probably not that, but worth reading the label.",
        ),
        Reply(
            "mossandstone",
            """Good point. Here's the quick checklist I use:

| Symptom | Likely cause |
|---|---|
| upward curl, leathery, no spots | heat or water stress |
| downward curl, twisted new growth | herbicide drift |
| yellowing from the bottom up | short of nitrogen, or just old leaves |
| brown spots with rings | early blight |""",
        ),
        Reply(
            "gardengnome42",
            "That table should be pinned somewhere. No twisting, and the new growth looks normal, so it's the first row.",
        ),
        Reply(
            "kwame.a",
            "Same thing happened to mine in the heatwave. A shade cloth over the hottest hours, roughly 1 to 4pm, made a difference within a week.",
        ),
        Reply("sunny_side", "Doesn't the shade slow down ripening?", quotes=9),
        Reply(
            "mossandstone",
            "Not noticeably. In real heat tomatoes stop setting fruit and colouring up properly anyway, so a bit of afternoon shade helps more than it costs.",
        ),
        Reply(
            "gardengnome42",
            "**Update:** watering every other morning instead of every evening, and an old bedsheet for shade in the afternoons. The new leaves are coming in flat. Thanks, everyone!",
        ),
    ],
    "Compost bin that doesn't smell: my setup after three years": [
        Reply(
            "amelie.r",
            "Three years of compost wisdom in one post, thank you! What do you do about fruit flies in the kitchen caddy?",
        ),
        Reply(
            "basil_and_thyme",
            "A lid, emptying it every other day, and a small vinegar trap next to it. In the bin, bury fresh scraps under a layer of browns: the flies never find them.",
            quotes=2,
        ),
        Reply(
            "grandpa_joe",
            "Shredding the cardboard is the key, agreed. I run mine through an old paper shredder, with the tape and staples pulled off first.",
        ),
        Reply(
            "chen_li",
            "How long before it's ready to use? Mine has been sitting for eight months and I can still see eggshells.",
        ),
        Reply(
            "basil_and_thyme",
            "Eggshells are always the last thing to go, I wouldn't wait for them (crush them before they go in next time). If the rest is dark, crumbly and smells of earth, it's ready. Mine takes about six months in summer, longer over winter.",
        ),
    ],
    "Show us your workspace (2026 edition)": [
        # Page 1
        Reply(
            "spidermike007",
            "Love the pegboard wall. How many clamps is _far too many_? Asking so I know whether my 14 is normal.",
        ),
        Reply(
            "lena.builds",
            "Last count was 31. Nobody has ever had enough clamps, it's a law of the workshop.",
            quotes=2,
        ),
        Reply(
            "dieter",
            """Here's mine: a 2.4m bench along the garage wall, with the hand tools in a cabinet above it.

- a front vise and a tail vise
- French cleats for everything else
- one window, which is lovely until the afternoon sun lands on the bench""",
        ),
        Reply("bea_makes", "My workspace is the kitchen table and a box of tools. Still counts?"),
        Reply(
            "lena.builds",
            "It absolutely counts. Some of the best projects on this forum started on kitchen tables. Tell us what's in the box!",
            quotes=5,
        ),
        Reply(
            "bea_makes",
            "Fine: a fishing tackle box with a glue gun, a cutting mat, a set of tiny screwdrivers and far too many kinds of tape. Pro tip: an old moving blanket under everything saves the table from scratches, and the family from glue.",
        ),
        Reply(
            "grandpa_joe",
            "My corner of the shed. Small, but everything has a place and every place has a hook. The radio has been on the same station for thirty years.",
        ),
        Reply(
            "feral_coder",
            """Electronics bench checking in:

- a soldering station and a small fume extractor fan
- a cheap bench power supply
- _helping hands_ with magnetic bases
- an anti-static mat I mostly use as a mouse mat""",
        ),
        Reply(
            "kwame.a",
            "What are the LED strips in your photo, lena.builds? The light looks really even across the bench.",
        ),
        Reply(
            "lena.builds",
            "5000K strips with a high CRI, about 95. Worth the extra money: under my old cheap strips, stain colours looked completely different once I carried the piece outside.",
        ),
        Reply(
            "kwame.a",
            "CRI 95, noted. That explains why my walnut always looks grey and muddy in the garage.",
        ),
        Reply(
            "hollowtree",
            "Does anyone have a good dust collection setup for a small shop? Mine is a broom and a guilty conscience.",
        ),
        Reply(
            "dieter",
            "A shop vac with a cyclone separator on a bucket. Cheap, and it works: the cyclone catches nearly all the chips before they reach the filter.",
            quotes=13,
        ),
        Reply(
            "jules_v",
            "Second the cyclone. Mine fills the bucket, not the filter. Empty it _before_ it's full though, or it spits everything into the vac in one go.",
        ),
        Reply(
            "hollowtree",
            "Ordered one. Does it cope with fine dust from sanding too, or only chips?",
        ),
        Reply(
            "dieter",
            "Fine dust gets through more. For sanding I wear a mask regardless and run an air filter afterwards: a box fan with a furnace filter strapped to it is the cheap version, and it works better than it has any right to.",
        ),
        Reply(
            "amelie.r",
            "My sewing corner, since all are welcome: a door on two trestles as a cutting table, the machine on a sturdy little desk, and the thread on a pegboard. Yes, lena.builds, I took the pegboard from your photo last year.",
        ),
        Reply(
            "lena.builds",
            "Pegboard for thread is genius. Don't the spools fall off when you open the door?",
        ),
        Reply(
            "amelie.r", "Only when the cat's involved. I angled the pegs up slightly, which helps."
        ),
        # Page 2
        Reply(
            "wanderingwil",
            "No shed, no garage, no spare room: I rent a bench at a community workshop two evenings a week. The big machines are shared and someone always knows the answer to your question. Recommended if you live in a flat.",
        ),
        Reply(
            "ivan_petrov",
            "How do community workshops handle safety? I've been tempted, but wasn't sure I'd be allowed anywhere near the table saw.",
        ),
        Reply(
            "wanderingwil",
            "You do a short induction for each machine before you may use it alone. The table saw one took an hour, and honestly I learned more in that hour than in years of videos.",
        ),
        Reply(
            "pixelpusher",
            "Does a photo editing desk count? Two monitors, a calibration puck, a lamp with a daylight bulb for checking prints, and an unreasonable number of SD cards in a jar.",
        ),
        Reply(
            "priya_n",
            "The jar of SD cards is universal, I think. Mine has at least three I'm afraid to format.",
        ),
        Reply(
            "spidermike007",
            "Workspace update: finally mounted the monitor on an arm. The desk feels twice as big and my neck is grateful.",
        ),
        Reply(
            "chen_li",
            "Question for the woodworkers: how high is your bench? I'm building one and every guide says something different.",
        ),
        Reply(
            "dieter",
            "Rule of thumb: stand straight with your arms hanging down; the top goes about where your wrists bend. A bit lower if you plane a lot, higher for fine joinery and carving.",
        ),
        Reply(
            "lena.builds",
            "What dieter said. Mine is 92cm and I'm 1.74m. I tried it at 86cm first with blocks under the legs, which is a cheap way to test before you cut anything.",
        ),
        Reply("chen_li", "Blocks under the legs, such an obvious trick. Thanks, both."),
        Reply(
            "ottilie",
            "Thirty-one clamps! And my husband thinks _I_ have a collecting problem.",
            quotes=3,
        ),
        Reply(
            "yuki_t",
            "My tiny balcony workshop: a folding table, a tarp and a roll of carving tools. I carve spoons, so the mess is mostly shavings, and the pigeons don't seem to mind.",
        ),
        Reply(
            "grandpa_joe",
            "Spoon carving is how I started, a very long time ago. Keep your knives sharp and you'll keep your fingers.",
        ),
        Reply("yuki_t", "Sharpening is my weak point. Stones? A strop? Sandpaper on glass?"),
        Reply(
            "grandpa_joe",
            "Strop often, stone rarely. A strip of leather glued to a board, with a bit of polishing compound, and ten passes a side before every session. Do that and you'll hardly ever need the stones.",
        ),
        Reply(
            "basil_and_thyme",
            "Garden shed edition: potting bench on one side, tools on the other, and seed trays on every flat surface from February to May. Mostly for plants, but there's a small vise for sharpening the shears.",
        ),
        Reply(
            "mossandstone",
            "A vise in the potting shed is the mark of a serious gardener.",
            quotes=36,
        ),
        Reply(
            "ferrisbueller",
            "Beginner question: pegboard or French cleats? Both look great in photos.",
        ),
        Reply(
            "dieter",
            "Cleats. Pegboard hooks fall out every time you take a tool off, and cleats hold heavy things like a drill or a plane. Pegboard is cheaper and quicker to start with, though.",
        ),
        Reply(
            "lena.builds",
            "Counterpoint from a pegboard owner: the hooks stay put if you buy the locking kind, and small things like screwdrivers and pliers are much easier to see on a pegboard. I'd do cleats for heavy tools and pegboard above the bench.",
        ),
        # Page 3
        Reply(
            "ferrisbueller",
            "Both it is, then: cleats along the bottom for the drill and the planes, pegboard above for everything small.",
        ),
        Reply(
            "kwame.a",
            "Follow-up on the lights: I swapped my old tubes for high CRI strips like lena.builds suggested. Walnut looks like walnut again.",
        ),
        Reply(
            "quietfox",
            "Lurker's workspace: a corner desk with a soldering iron, a 3D printer on a shelf, and a fire extinguisher next to the printer, because I'm not brave.",
        ),
        Reply(
            "feral_coder",
            "The fire extinguisher is the most sensible thing in this thread. Mine lives next to the printer too.",
            quotes=43,
        ),
        Reply(
            "sunny_side",
            "These photos are making me look at my balcony differently. Is there such a thing as a workbench that folds against a wall?",
        ),
        Reply(
            "bea_makes",
            "Yes! Look for a _wall-mounted folding workbench_. I built mine from these plans: https://example.org/plans/folding-bench and folded up it sticks out about 10cm.",
        ),
        Reply("sunny_side", "10cm! That might even survive the wind. Adding it to the list."),
        Reply(
            "ivan_petrov",
            "Metalwork corner: a small lathe, a bench grinder, and a drill press from an auction. The drill press is older than I am and runs smoother than anything new I've tried.",
        ),
        Reply(
            "jules_v",
            "A vintage drill press! Those old ones are built like tanks. Did it need much work?",
            quotes=48,
        ),
        Reply(
            "ivan_petrov",
            "A new belt and new bearings, and it runs perfectly. The only modern part is the LED work light I bolted on.",
        ),
        Reply(
            "captain_obvious",
            "Observation: every workspace in this thread has at least one thing on the floor that should be on a shelf.",
        ),
        Reply(
            "lena.builds",
            "That's not mess, that's the _staging area_. And it's in the rules: no judging the mess.",
        ),
        Reply(
            "hollowtree",
            "Dust update: the cyclone is in, and the first bucket filled up in one afternoon of planing. I can't believe how much of that used to end up on the floor, and in me.",
        ),
        Reply("dieter", "Nice. Wait until you see the bucket after a day of thicknessing."),
        Reply(
            "slowcooker",
            "Kitchen scientist checking in: a scale that reads to 0.1g, a probe thermometer, and a shelf of jars labelled with dates. It's where I make things, so I say it counts.",
        ),
        Reply("lena.builds", "It counts! Is one of those jars the famous Lazarus?"),
        Reply("slowcooker", "It is. He has the top shelf, naturally."),
        Reply(
            "pixelpusher",
            "How do you all deal with noise? I'd love a table saw, but the neighbours are very close.",
        ),
        Reply(
            "wanderingwil",
            "That's the main reason I went the community workshop route. At home, hand tools and a track saw are much quieter, and plenty of woodworkers never touch a table saw at all.",
        ),
        Reply(
            "dieter",
            """Hand tools, at least for evenings. A good panel saw and a plane don't bother anyone. Roughly, from my own meter:

| Tool | Noise |
|---|---|
| hand plane | about 60 dB, a conversation |
| cordless drill | about 85 dB |
| router | 100 dB or more |
| table saw | 100 dB or more |

Hearing protection for the last two, always.""",
        ),
        # Page 4
        Reply("pixelpusher", "That table is convincing. Maybe a plane is the place to start."),
        Reply(
            "amelie.r",
            "Sewing corner update: the door on trestles is gone, replaced by a proper cutting table at standing height, and my back is very grateful. The bench height rule of thumb works for cutting tables too.",
        ),
        Reply(
            "chen_li",
            "My bench is finished! I went with 90cm after testing on blocks, as suggested. Douglas fir top and a vise from a kit. Photos once I've cleaned the garage, so probably never.",
            quotes=29,
        ),
        Reply(
            "lena.builds",
            "Congratulations! Testing on blocks first was the smart way. And we have a rule about cleaning before photos, remember?",
        ),
        Reply("ferrisbueller", "How do you keep the sawdust out of the rest of the house?"),
        Reply(
            "grandpa_joe",
            "A door, a draught excluder, and a strict no-shoes-past-this-point rule. The rule is the hard part.",
        ),
        Reply(
            "basil_and_thyme",
            "And a doormat on both sides of that door. Mine catches compost on one side and sawdust on the other.",
        ),
        Reply(
            "n0rthernlight",
            "Not a workshop, but my astro workspace is a garden chair, a red torch and a flask of tea. The real bench is the laptop I process on afterwards.",
        ),
        Reply(
            "tomasz_w",
            "The red torch is the unsung hero. Mine lives on a lanyard now, after I lost two in the grass.",
        ),
        Reply(
            "kwame.a",
            "Question for the electronics people: how do you store small components? My resistors are in envelopes and it's chaos.",
        ),
        Reply(
            "feral_coder",
            """Small drawer cabinets, labelled:

- resistors by decade (1Ω to 9.1Ω, 10Ω to 91Ω, and so on)
- capacitors by type
- one drawer called `misc`, which is where everything actually ends up""",
        ),
        Reply("quietfox", "Every workshop has a `misc` drawer. Mine is three drawers."),
        Reply(
            "spidermike007",
            "This thread has cost me money. I've bought a pegboard, a cyclone and a label maker. Thanks, everyone.",
        ),
        Reply("lena.builds", "The best kind of thread! Post the pegboard when it's up.", quotes=73),
        Reply(
            "yuki_t",
            "Spoon update: I've been stropping before every session, like you said, and the cuts are so much cleaner. The pigeons remain unimpressed.",
            quotes=35,
        ),
        Reply(
            "grandpa_joe",
            "Clean cuts are half the joy. Show us a spoon when you're happy with one.",
        ),
        Reply(
            None, "Great thread every year. I love seeing the kitchen tables next to the big sheds."
        ),
        Reply(
            "hollowtree", "Same time next year? I'm planning to have a floor you can see by then."
        ),
        Reply(
            "lena.builds",
            "Same time next year! Thanks for sharing your spaces, all of you. Keep the photos coming in the meantime.",
        ),
    ],
    "Raspberry Pi greenhouse monitor: code and wiring": [
        Reply(
            "ivan_petrov",
            """Nice project! Two suggestions:

- log to a CSV or SQLite so you can graph it later
- the capacitive sensors drift, so calibrate the dry and wet values once a month""",
        ),
        # Index 1 is feral_coder's chart (PLACED_REPLIES).
        Reply(
            "n0rthernlight",
            "What does it peak at? From the chart that's quite a swing between night and afternoon.",
        ),
        Reply(
            "feral_coder",
            """Only about 23°C, but that was a grey day with 12°C outside, so I expect a lot more in summer. And good call on SQLite, ivan_petrov, I switched:

```python
import sqlite3
from datetime import UTC, datetime

db = sqlite3.connect("greenhouse.db")
db.execute("CREATE TABLE IF NOT EXISTS readings (at TEXT, temp REAL, humidity REAL, soil INT)")


def save(temp: float, humidity: float, soil: int) -> None:
    with db:
        db.execute(
            "INSERT INTO readings VALUES (?, ?, ?, ?)",
            (datetime.now(UTC).isoformat(), temp, humidity, soil),
        )
```""",
        ),
        Reply("bea_makes", "How are you powering it out there? Is there mains in the greenhouse?"),
        Reply(
            "feral_coder",
            "An extension cable from the shed for now. I tried a power bank first and it lasted about 30 hours: a Zero 2 W with Wi-Fi on draws more than you'd think.",
        ),
        Reply(
            "kwame.a",
            "If you want to go off-grid, a small 10W panel, a USB charge controller and a decent battery will run it through most of the year, maybe not December. Or move the sensors to a microcontroller that sleeps between readings.",
            quotes=7,
        ),
        Reply(
            "dieter",
            "What are you doing about condensation? A greenhouse is basically a humidity test chamber. I'd put the Pi in a box with vents underneath and a bag of silica gel.",
        ),
        Reply(
            "feral_coder",
            "It's in a food container with holes drilled in the bottom, and the BME280 hangs outside on a short lead, so it measures the air and not the Pi's own heat. Silica gel is a good idea, adding it.",
        ),
        Reply(
            "ivan_petrov",
            """For the graphs, if you don't want to run a whole dashboard, this gets you a PNG a day:

```python
import sqlite3
from datetime import datetime

import matplotlib.pyplot as plt

rows = sqlite3.connect("greenhouse.db").execute(
    "SELECT at, temp FROM readings WHERE at >= datetime('now', '-1 day') ORDER BY at"
).fetchall()
plt.plot([datetime.fromisoformat(at) for at, _ in rows], [temp for _, temp in rows])
plt.savefig("today.png")
```""",
        ),
        Reply(
            "gardengnome42",
            "Following this for spring. A soil moisture alert would save my seedlings every single year.",
        ),
        Reply(
            "feral_coder",
            "Alerts are next on the list: a message to my phone when the soil stays below the calibrated _dry_ value for more than an hour. I'll post the code when it works.",
        ),
    ],
    "Suggestion: a monthly photo challenge": [
        Reply("pixelpusher", "Oh, I love this idea. Count me in for _Reflections_."),
        Reply(
            "kwame.a",
            "+1. Maybe a separate forum for the entries, so the challenge doesn't push everything else off the front page?",
        ),
        Reply(
            "ruth_ellis",
            "I'd start with one topic a month and see how busy it gets. A whole forum for three entries would look a bit sad.",
            quotes=3,
        ),
        Reply(
            "tomasz_w",
            "Rules question: do the photos have to be taken during the month, or can we dig into the archive?",
        ),
        Reply(
            "priya_n",
            "Taken during the month, I'd say. Otherwise it's _post your best reflection ever_ and the same five people win every time.",
        ),
        Reply(
            "jules_v",
            "I'd allow the archive. Plenty of people can't get out much: small kids, long work weeks, winter. Maybe with a note saying when it was taken?",
        ),
        Reply(
            "ruth_ellis",
            """Both fair points. Draft rules:

1. photos taken during the month
2. one entry per person
3. light editing only, no composites
4. voting with reactions in the last week

And an exception for the archive if you ask nicely?""",
        ),
        Reply(
            "marta_k",
            "From the moderation side: happy to support this. One entry per person keeps it fair and easy to run, and I can pin the topic each month.",
        ),
        Reply(
            "hollowtree",
            "Does phone photography count? My _real_ camera hasn't left the drawer in a year.",
        ),
        Reply("ruth_ellis", "Absolutely. It's about the picture, not the kit.", quotes=10),
        Reply("captain_obvious", "_Reflections_ for the first one sounds good. Puddles are free."),
        Reply(
            "n0rthernlight",
            "Suggestion for a later month: _Night_. I promise not to enter twelve star trails.",
        ),
        Reply(
            "bea_makes",
            "_Hands at work_ would suit this place so well, half the members here make things.",
        ),
        Reply(
            "priya_n",
            "Voting idea: ask people to write one sentence about why they liked an entry, not just click a reaction. That feedback is what beginners get the most out of.",
        ),
        Reply(
            "ruth_ellis",
            "Love that. The draft announcement is up for anyone who wants to check it before I post it: https://example.org/agora/photo-challenge-draft. Theme **Reflections**, entries from the 1st to the 24th, voting until the end of the month.",
        ),
        Reply(
            "marta_k",
            "Looks good to me. I'll pin it as soon as it's up. Thanks for organising this, ruth_ellis!",
        ),
    ],
    "What are you reading this month?": [
        Reply(
            "amelie.r",
            "Just finished _Piranesi_ and I need to talk to someone about it. No spoilers, but the house stayed with me for days.",
        ),
        Reply(
            "yuki_t",
            "The statues! The tides! I read it in two evenings and then started it again.",
            quotes=2,
        ),
        Reply("oldmanriver", "A history of lighthouses is right up my street. What's it called?"),
        Reply(
            "captain_obvious",
            "It's a library copy with the dust jacket missing, so I only know it by its spine: _Lights of the Coast_. Dry in places, but the chapter on the keepers' logbooks is wonderful.",
        ),
        Reply(
            "wanderingwil",
            """If anyone wants something after _Piranesi_, this trio worked for me, in this order:

1. _Station Eleven_
2. _The Glass Hotel_
3. _Sea of Tranquility_

They stand alone, but the links between them are lovely.""",
        ),
        Reply(
            "ferrisbueller",
            "_Station Eleven_ is one of my favourites. Never read the other two, adding them.",
        ),
        Reply(
            "ottilie",
            "I've gone back to a book I used in my teaching: a popular history of the periodic table. It holds up surprisingly well, although its _newest elements_ aren't new any more.",
        ),
        Reply(
            "chen_li",
            "Do audiobooks count? I'm listening to a long fantasy series on my commute, book four of nine. Send help.",
        ),
        Reply(
            "captain_obvious", "Audiobooks count. Books are books. Nine is brave, though.", quotes=9
        ),
        Reply(
            "jules_v",
            "Non-fiction pick: a book about how the shipping container changed the world. Sounds boring, is not.",
        ),
        Reply(
            "grandpa_joe",
            "Rereading an old woodworking book from the seventies. Half of it is _don't do this_, which is still good advice.",
        ),
        Reply(
            "amelie.r",
            "yuki_t, have you read _Jonathan Strange & Mr Norrell_? Same author, much longer, and a completely different mood.",
        ),
        Reply(
            "yuki_t",
            "Not yet! It's been on my shelf for two years, staring at me. It's the size of a brick.",
        ),
        Reply("wanderingwil", "It's worth every page. The footnotes alone are a second book."),
        Reply(
            "slowcooker",
            "Does a cookbook count if I'm reading it cover to cover like a novel? It's about fermentation. Related: my sourdough starter drama is further down the Lounge if anyone wants to help.",
        ),
        Reply(
            "captain_obvious",
            "Cookbooks count if you read the introductions. Nobody reads the introductions.",
        ),
        Reply("hollowtree", "I read the introductions! They're the best part."),
        Reply(
            "kwame.a",
            "Currently: a history of maps. Favourite fact so far: mapmakers used to add made-up _trap streets_ to catch anyone copying their maps.",
        ),
        Reply(
            "feral_coder",
            "Trap streets are brilliant. There's a hamlet that was invented for a map, and then someone actually built a shop there and named it after the map.",
        ),
        Reply(
            "captain_obvious",
            "I've added seven books to my list from this thread, and the list was already too long. Thanks, everyone. I think.",
        ),
        Reply(None, "Same time next month? This is the best reading list I've had in years."),
    ],
    "Sourdough starter: day 9 and still nothing": [
        Reply(
            "ottilie",
            "Don't panic: those early bubbles are usually bacteria that don't last, and then it goes quiet for a while before the yeast takes over. Day 9 isn't dead, it's the awkward teenage phase.",
        ),
        Reply(
            "mossandstone",
            "Rye flour woke mine up in two days. Don't give up! I fed it half rye, half white.",
        ),
        Reply("slowcooker", "Switching tonight. Same amount of water?", quotes=3),
        Reply(
            "mossandstone",
            "I did 1:1:1 by weight: 50g starter, 50g flour, 50g water. Rye drinks more water, so it'll be thicker. That's fine.",
        ),
        Reply(
            "amelie.r",
            "Also, 20°C is on the cool side. Mine only took off when I moved it to the top of the fridge, where it's a few degrees warmer.",
        ),
        Reply(
            "slowcooker",
            "**Update:** rye plus the top of the fridge did it. It doubled in six hours this morning and smells of yoghurt and apples. Thank you all! I've named it _Lazarus_.",
        ),
        Reply(
            "captain_obvious",
            "Lazarus is the best starter name I've heard. Bread photos, or it didn't happen.",
        ),
    ],
    "Ten years on forums: what kept you coming back?": [
        Reply(
            "marta_k",
            "Moderators and regulars who are kind to newcomers. That's the whole secret, and it's more work than it looks.",
        ),
        Reply(
            "ivan_petrov",
            "For me it's that people actually _answer_. Ask a question on social media and you get jokes; ask here and you get a table of focal lengths.",
        ),
        Reply(
            "oldmanriver",
            "Exactly. And the answers are still here five years later, for the next person with the same question.",
            quotes=3,
        ),
        Reply(
            "bea_makes",
            "The project threads. Following someone's build for months, mistakes and all, beats any finished photo.",
        ),
        Reply("grandpa_joe", "Being able to read slowly. Nothing here disappears after a day."),
        Reply(
            "oldmanriver", "_Slow_ is a good word for it. Thanks, all. This is a nice place to be."
        ),
    ],
    "Budget tripod for astrophotography?": [
        Reply(
            "wanderingwil",
            "How far do you need to carry it? I bought a heavy one, and now it lives in the car: fine for the night sky, useless for hiking.",
        ),
        Reply(
            "n0rthernlight",
            "Not far, mostly from the car to the edge of a field. Weight isn't the problem, wobble is.",
        ),
        # Index 2 is tomasz_w's picture (PLACED_REPLIES).
        Reply(
            "n0rthernlight",
            "That's very sharp for 30 seconds! What head is it on? Mine would be carrying a fairly heavy lens.",
        ),
        Reply(
            "tomasz_w",
            "A simple three-way pan head. Ball heads are quicker to set up, but the cheap ones creep a little under a heavy lens, and at 30 seconds you'll see it.",
            quotes=5,
        ),
        Reply(
            "feral_coder",
            "Also: switch off image stabilisation on a tripod. Some lenses try to correct for movement that isn't there and blur long exposures.",
        ),
        Reply(
            "pixelpusher",
            "And don't raise the centre column. It's the wobbliest part of any tripod.",
        ),
        Reply(
            "n0rthernlight",
            """Great tips, thank you. Shortlist so far:

- aluminium, 4 sections, around 1.8kg
- leg angle locks, so it can go low
- a pan head or a _good_ ball head
- **no** centre column extension

Any reason to prefer twist locks over flip locks?""",
        ),
        Reply(
            "dieter",
            "Flip locks are easier in gloves, and you'll be wearing gloves at 2am in February. Twist locks are slimmer and snag less. Either works if you check them before every night out.",
        ),
        Reply(
            "n0rthernlight",
            "Gloves, good point. Flip locks it is. I'll report back after the next clear night.",
        ),
    ],
    "Hello from a retired teacher with too many houseplants": [
        Reply("gardengnome42", "Welcome! 47 is a perfectly reasonable number of houseplants."),
        Reply(
            "basil_and_thyme",
            "And a husband who has stopped counting means nobody will notice the 48th.",
            quotes=1,
        ),
        Reply(
            "priya_n",
            "Welcome! Darkroom experience is very welcome in Critique Corner; most of us only know the digital version of dodging and burning.",
        ),
        Reply(
            "ottilie",
            "Thank you for the warm welcome! Number 48 is a string of pearls, since you ask. And I'll happily talk darkroom with anyone who'll listen.",
        ),
    ],
}

# Replies written for a place in a topic: {topic title: {reply index: (author, text)}}.
PLACED_REPLIES: dict[str, dict[int, tuple[str, str]]] = {
    "Budget tripod for astrophotography?": {
        2: (
            "tomasz_w",
            """A heavy aluminium one is fine. Here's 30 seconds at ISO 1600 on my old 90 tripod with the bag hanging from the hook, no wobble at all:

![Orion over the allotments](attachment:night_sky)

Use a 2 second timer so pressing the button doesn't shake it.""",
        ),
    },
    "Raspberry Pi greenhouse monitor: code and wiring": {
        1: (
            "feral_coder",
            """Update: yesterday's readings, every two hours. It got hotter in there than I expected in the afternoon, so a vent fan is next.

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
