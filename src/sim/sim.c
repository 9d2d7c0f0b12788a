/* sim.c - the generator of simulated days (sim.h).
 *
 * A day is built in five passes, each drawing from one PRNG (xoshiro256**
 * seeded through splitmix64), so that the same options give the same day:
 *
 *   1. the scripted events: Korvo's announcement at 09:00, the tech sites'
 *      hands-on articles, the first hinge report at 14:02, the threads that
 *      gather the discussion, @KorvoCares's statement, Korvo's fix;
 *   2. the crowd: every other original post gets a minute drawn from the
 *      intensity curve of its theme (everyday chatter follows the daily
 *      rhythm; the launch jumps at 09:00 and decays; the fault rises from
 *      14:00 to a plateau from 14:45 to 16:15 and decays; spam trickles and
 *      comes in three copy-paste bursts), a source, a language, an author
 *      from a pool with a heavy-tailed number of followers, a mood (praise,
 *      complaint, question, ...), and a text expanded from the templates
 *      of that theme, mood and language;
 *   3. threads: in time order, posts on reddit, hn and the forum either
 *      start a thread (and get a title) or comment on a recent thread of
 *      the same theme and language;
 *   4. @KorvoCares answers a share of the complaints and questions
 *      (kind "reply", parent set), minutes to hours later;
 *   5. reposts of popular posts fill the day up to the number asked for.
 *
 * Templates are plain text with two kinds of markup: {a|b|c} picks one of
 * the alternatives (they nest), and $X inserts the slot X ($P the product,
 * $C the competitor, $R a price, $E an emoji, ...; see slot_text()); $$ is
 * a dollar sign.  Every text that is not a deliberate copy (a repost, a
 * spam campaign) is kept unique: a text already made is drawn again.
 *
 * Everything lives in one struct gen for the length of sim_generate(). */
#include "sim.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/clock.h"
#include "../core/hash.h"

const char *const sim_scenario_names[] = { "launch", NULL };

#define MINUTES 1440
#define MIN_MS 60000LL

/* ---- the random numbers ---- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman and Vigna). */
static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* A number in [0, 1). */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* A number in [0, n); 0 when n is 0. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* A number in [lo, hi]. */
static int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rng_unit(r) * (double)(hi - lo + 1));
}

static int rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

/* A standard normal number (Box-Muller). */
static double rng_normal(struct rng *r)
{
	double u = 1.0 - rng_unit(r), v = rng_unit(r);

	return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* An index drawn with the weights w[0..n). */
static int rng_pick(struct rng *r, const double *w, int n)
{
	double sum = 0, x;

	for (int i = 0; i < n; i++)
		sum += w[i];
	x = rng_unit(r) * sum;
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* ---- the world: sources, languages, themes, moods ---- */

enum { EN = 0, DE = 1 };

enum src { S_TWITTER, S_MASTODON, S_BLUESKY, S_REDDIT, S_HN, S_RSS, S_FORUM, S_N };

static const char *const src_names[S_N] = {
	"twitter", "mastodon", "bluesky", "reddit", "hn", "rss", "forum",
};

/* The share of German-speaking authors on each source. */
static const double src_de[S_N] = { 0.33, 0.45, 0.27, 0.14, 0.04, 0.40, 0.86 };

/* Where each theme is talked about (SIM_TOPIC_CHATTER .. SIM_TOPIC_SPAM). */
static const double src_mix[4][S_N] = {
	{ 0.35, 0.12, 0.14, 0.16, 0.04, 0.02, 0.17 },
	{ 0.38, 0.12, 0.15, 0.14, 0.06, 0.03, 0.12 },
	{ 0.40, 0.10, 0.14, 0.16, 0.04, 0.02, 0.14 },
	{ 0.62, 0.06, 0.14, 0.06, 0.00, 0.00, 0.12 },
};

enum mood {
	M_PRAISE, M_COMPLAINT, M_QUESTION, M_NEUTRAL, M_IDEA, M_PURCHASE, M_COMPARE,
	M_TEASER, M_CAMPAIGN, M_JOB, M_PROMO, M_N
};

/* How each theme's posts feel. */
static const double mood_mix[4][M_N] = {
	/* praise compl quest neutr idea purch compa teas camp job promo */
	{ 0.22, 0.26, 0.24, 0.14, 0.08, 0.06, 0.00, 0, 0, 0, 0 },
	{ 0.28, 0.10, 0.20, 0.14, 0.00, 0.16, 0.12, 0, 0, 0, 0 },
	{ 0.06, 0.70, 0.14, 0.10, 0.00, 0.00, 0.00, 0, 0, 0, 0 },
	{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.40, 0.60 },
};

/* ---- templates ---- */

static const char *const chat_praise_en[] = {
	"My {Korvo Air 13|Air 13} is {still going strong|still flawless|still the best laptop I ever owned} after {two|three|four} years $E",
	"{Shoutout|Big thanks|Kudos} to @KorvoCares for {sorting out my warranty repair in two days|replacing my Dock X without any hassle|the super fast keyboard swap}. {Great service.|Impressed.|Love it.}",
	"The {Dock X|Korvo Dock X} is honestly the best dock I've used. One cable, two monitors, {zero drama|no fuss|done}.",
	"{Pro 15|Korvo Pro 15} battery life is {amazing|excellent|wonderful}: {11|12|13} hours of {coding|spreadsheets|lectures} {yesterday|today|on one charge} $E",
	"{Love|Really love} the keyboard on my Korvo {Air 13|Pro 15}. {Typing on anything else feels wrong now.|Best keyboard on a laptop, period.|My wrists thank you.}",
	"Took my Air 13 {to the café|on a 10 hour flight|to the library} and it {never got warm|lasted all day|was silent the whole time}. {Great|Excellent|Lovely} little machine.",
	"{Two|Three} years with the Korvo Pro 15 and the {screen|trackpad|speakers} still {impress me|feel premium|make me smile}. {Well done Korvo.|Best purchase in years.}",
	"Korvo support {fixed my Air 13 in a day|called me back within an hour|sent a new charger overnight}. {Wonderful people.|Very helpful.|Great experience} $E",
};

static const char *const chat_praise_de[] = {
	"Mein {Korvo Air 13|Air 13} läuft nach {zwei|drei|vier} Jahren immer noch {wie am ersten Tag|einwandfrei|super} $E",
	"{Großes Lob|Danke} an @KorvoCares: {Reparatur in zwei Tagen erledigt|das Dock X wurde ohne Diskussion getauscht|super schneller Tastaturtausch}. {Klasse Service!|Top!|So muss das sein.}",
	"Das {Dock X|Korvo Dock X} ist echt das beste Dock, das ich je hatte. Ein Kabel, zwei Monitore, {fertig|kein Stress|läuft}.",
	"Akkulaufzeit beim {Pro 15|Korvo Pro 15} ist {der Wahnsinn|großartig|hervorragend}: {11|12|13} Stunden {Homeoffice|Uni|Programmieren} $E",
	"Die Tastatur vom Korvo {Air 13|Pro 15} ist {einfach super|die beste, die ich kenne|ein Traum}. {Ich liebe das Ding.|Tippt sich wunderbar.}",
	"Mit dem Air 13 {im Zug nach Hamburg|den ganzen Tag in der Bibliothek|auf dem Flug nach Lissabon}: {nie warm geworden|Akku hat locker gereicht|absolut leise}. Tolles Gerät!",
	"Der Korvo Support hat {mein Air 13 in einem Tag repariert|sofort zurückgerufen|über Nacht ein neues Netzteil geschickt}. {Sehr hilfreich!|Wirklich vorbildlich.|Danke!} $E",
};

static const char *const chat_complaint_en[] = {
	"@KorvoCares my Dock X keeps {disconnecting|dropping both monitors|losing the ethernet connection} every {few minutes|hour|time I wake the laptop}. {Not happy.|This is frustrating.|Not working for me at all.}",
	"{Been waiting|Still waiting} {9|10|12|14} days for my {Korvo order|replacement charger|repair} to ship. {Unacceptable.|Terrible service $F|Not impressed.}",
	"On hold with Korvo support for {40|45|55|70} minutes now. {The music is the same loop.|Nobody picks up.|This is ridiculous $F}",
	"The fan on my {Pro 15|Korvo Pro 15} is {so loud|constantly spinning|way too loud} during {video calls|a simple browser session|Zoom}. {Disappointed.|Really annoying $F|Not what I paid for.}",
	"My {Air 13|Korvo Air 13} {won't turn on|stopped charging|keeps crashing after the update} {since yesterday|after the last firmware update|this morning}. {Frustrating $F|Terrible timing.|Ugh.}",
	"Korvo {charged me twice|overcharged me} for {the Dock X|my order} and {nobody answers|support has no answer|no one replies}. {Terrible|Awful|Unacceptable} $F",
	"USB-C port on my {Pro 15|Air 13} is {loose|broken|failing} after {eight|ten|eleven} months. {Frustrating.|Disappointed in Korvo.|Not ok for a premium laptop.}",
	"The {Korvo app|Dock X firmware update} {failed|bricked my dock|crashed halfway} {again|twice|this morning}. {Useless.|What a waste of an evening.|Why is this so hard?} $F",
};

static const char *const chat_complaint_de[] = {
	"@KorvoCares mein Dock X {verliert ständig die Verbindung|schaltet dauernd die Monitore ab|trennt alle paar Minuten das LAN}. {Nervt total.|Echt ärgerlich $F|Funktioniert einfach nicht.}",
	"Warte jetzt seit {9|10|12|14} Tagen auf {meine Bestellung|das Ersatznetzteil|die Reparatur} von Korvo. {Unmöglich.|Schlechter Service $F|Echt enttäuschend.}",
	"Seit {40|45|55|70} Minuten in der Warteschleife bei Korvo. {Immer noch dieselbe Musik.|Keiner geht ran.|Lächerlich $F}",
	"Der Lüfter vom {Pro 15|Korvo Pro 15} ist {extrem laut|ständig an|viel zu laut} {bei Videocalls|beim Surfen|in Teams-Meetings}. {Enttäuschend.|Nervig $F|Das Geld nicht wert.}",
	"Mein {Air 13|Korvo Air 13} {startet nicht mehr|lädt nicht mehr|stürzt seit dem Update ständig ab}. {Super ärgerlich $F|Echt frustrierend.|Mist.}",
	"Korvo hat mir {das Dock X|meine Bestellung} doppelt abgebucht und {niemand antwortet|der Support reagiert nicht}. {Frechheit|Unverschämt|Schlechter Service} $F",
	"USB-C-Anschluss am {Pro 15|Air 13} nach {acht|zehn|elf} Monaten {locker|defekt|kaputt}. {Enttäuschend.|Ärgerlich bei dem Preis.}",
};

static const char *const chat_question_en[] = {
	"Does the {Dock X|Korvo Dock X} work with {a MacBook|Linux|the Air 13 from 2023}? {Anyone tried?|Does anyone know?}",
	"Quick question: {how do I|how can I} {update the BIOS|reset the fan curve|enable the battery charge limit} on my Korvo {Pro 15|Air 13}?",
	"Anyone know if the Korvo {Air 13|Pro 15} warranty covers {a cracked screen|water damage|battery wear}?",
	"What are the Korvo support hours {on weekends|in the UK|in Canada}? {The website is vague.|Asking before I call.}",
	"Is there a way to {run two 4K monitors|charge the laptop|use ethernet} with the Air 13 {over one cable|at 60 Hz|without the dock}?",
	"{Which|What} RAM upgrade works in the Pro 15? {Any ideas?|Does anyone know?|Thanks in advance.}",
	"How long does a Korvo {battery replacement|keyboard repair|screen repair} usually take? {Need my laptop for exams.|Any experiences?}",
};

static const char *const chat_question_de[] = {
	"Funktioniert das {Dock X|Korvo Dock X} auch mit {einem MacBook|Linux|dem Air 13 von 2023}? Hat das jemand getestet?",
	"Kurze Frage: Wie {aktualisiere ich das BIOS|stelle ich die Lüfterkurve ein|aktiviere ich das Ladelimit} beim Korvo {Pro 15|Air 13}?",
	"Weiß jemand, ob die Garantie beim Korvo {Air 13|Pro 15} {einen gesprungenen Bildschirm|einen Wasserschaden|den Akkuverschleiß} abdeckt?",
	"Wann ist der Korvo Support {am Wochenende|in Österreich|telefonisch} erreichbar? {Auf der Seite steht nichts.|Frage für einen Freund.}",
	"Welcher RAM passt ins Pro 15? {Hat jemand einen Tipp?|Danke im Voraus!}",
	"Wie lange dauert bei Korvo {ein Akkutausch|eine Tastaturreparatur|eine Displayreparatur}? {Brauche den Laptop für die Prüfungen.|Erfahrungen?}",
};

static const char *const chat_neutral_en[] = {
	"{Working from the train today|Writing my thesis|Editing photos|Grading papers} on the Korvo {Air 13|Pro 15}. {Coffee number three.|Deadline is Friday.|Wish me luck.}",
	"My {Pro 15|Air 13} just turned {two|three} today. {Time flies.|Still on the original battery.}",
	"$$KRVO {up|down} {1.8|2.4|3.1}% {this morning|before the bell|premarket} ahead of {the launch event|today's announcement}.",
	"Cleaning out my desk: {an old Dock X|two Korvo chargers|an Air 13 box} and {a lot of cables|a dead mouse|three pens}.",
	"{Setting up|Unboxing} a Korvo {Air 13|Pro 15} for {my mum|a new colleague|my brother} {today|this evening}.",
	"Korvo {event|livestream} {later today|this morning|at 9 UTC}. {Guess we'll see.|Noted.}",
};

static const char *const chat_neutral_de[] = {
	"{Heute aus dem Zug|Hausarbeit schreiben|Fotos bearbeiten|Korrekturen} mit dem Korvo {Air 13|Pro 15}. {Kaffee Nummer drei.|Abgabe ist Freitag.|Drückt mir die Daumen.}",
	"Mein {Pro 15|Air 13} wird heute {zwei|drei} Jahre alt. {Wie die Zeit vergeht.|Immer noch der erste Akku.}",
	"{Richte|Packe} gerade ein Korvo {Air 13|Pro 15} für {meine Mutter|eine neue Kollegin|meinen Bruder} {ein|aus}.",
	"Korvo {Event|Livestream} {heute um 10 Uhr|gleich|heute Vormittag}. {Mal sehen.|Bin gespannt.}",
};

static const char *const chat_idea_en[] = {
	"@korvo please add {a battery charge limit|a matte screen option|a white Dock X|a backlit keyboard option} {to the Air 13|to the next model|in the next firmware}. #IdeaStorm",
	"It would be great if the {Korvo app|Dock X firmware|Air 13 BIOS} {had a dark mode|showed the battery health|supported fan profiles}.",
	"Feature request for Korvo: {a 65 W travel charger|a keyboard without the numpad|an option for a 2K panel|a Linux preinstall option}.",
	"You should add {a privacy shutter|USB-A|a fingerprint reader} to the Air 13, @korvo. {Just saying.|Would buy instantly.}",
};

static const char *const chat_idea_de[] = {
	"@korvo bitte {ein Ladelimit|ein mattes Display|eine US-Tastatur in Deutschland|ein weißes Dock X} {beim Air 13|beim nächsten Modell|im nächsten Firmware-Update} einbauen! #IdeaStorm",
	"Wäre schön, wenn die Korvo App {einen Dunkelmodus hätte|den Akkuzustand anzeigen würde|Lüfterprofile hätte}.",
	"Vorschlag an Korvo: {ein kleines 65-Watt-Netzteil|eine Tastatur ohne Nummernblock|ein Modell mit Linux ab Werk}.",
};

static const char *const chat_purchase_en[] = {
	"Looking to buy a new laptop for {uni|work|my dad}, is the Korvo {Air 13|Pro 15} still worth the money?",
	"{Thinking about getting|Considering getting} a Korvo {Air 13|Pro 15} now that prices dropped. {Any recommendations?|Thoughts?}",
	"Need a new laptop {for photo editing|for coding|for school}. Korvo {Air 13|Pro 15} or wait? {Any recommendations?|Budget is tight.}",
};

static const char *const chat_purchase_de[] = {
	"Suche einen neuen Laptop {für die Uni|fürs Büro|für meinen Vater}. Lohnt sich das Korvo {Air 13|Pro 15} noch? Kaufempfehlung?",
	"Überlege, mir ein Korvo {Air 13|Pro 15} zu kaufen, jetzt wo es günstiger ist. {Meinungen?|Erfahrungen?}",
};

static const char *const launch_teaser_en[] = {
	"Korvo event in {an hour|30 minutes|two hours}. {Who's watching?|Calling it now: 16 inches.|Ready.} $Q #KorvoPro16",
	"{Today's the day.|Launch day!} {Coffee ready for the Korvo stream.|Setting an alarm for the Korvo event.} $Q",
	"Rumour says the {Korvo Pro 16|new Korvo} {has a 120 Hz screen|starts at $R|ships this week}. {We'll know at 9.|Soon.} $Q",
};

static const char *const launch_teaser_de[] = {
	"Korvo Event {in einer Stunde|in 30 Minuten|gleich}. {Wer schaut mit?|Ich tippe auf 16 Zoll.} $Q #KorvoPro16",
	"{Heute ist es so weit.|Launch-Tag!} {Kaffee steht bereit für den Korvo Stream.|Wecker für das Korvo Event gestellt.} $Q",
	"Gerücht: Das {Korvo Pro 16|neue Korvo} {hat ein 120-Hz-Display|kostet ab $R|kommt noch diese Woche}. {Um 10 wissen wir mehr.|Bald.} $Q",
};

static const char *const launch_praise_en[] = {
	"The $P looks {gorgeous|stunning|incredible} $E {That display!|That keyboard!|Those bezels!}",
	"{Finally|At last} a 16-inch Korvo. {Take my money.|Exactly what I wanted.|This is the one.} #KorvoPro16 $E",
	"Just watched the launch: the $P with {a 3.2K 120 Hz display|22 hours of battery|only 1.7 kg} {is impressive|looks amazing|is a great move}. {Well done Korvo.|Love it.|Kudos to the team.}",
	"{Got my hands on|Played with} the $P {at $S|at the launch event|in the store} and {wow|honestly, wow|I'm impressed}. {The build feels great.|The speakers are amazing.|That trackpad is huge.} $E",
	"The $P keyboard is {excellent|fantastic|the best Korvo ever made}. {Can't wait for mine.|Great job.|Love it.}",
	"Korvo {nailed it|knocked it out of the park|did it again} with the $P. {Beautiful machine.|Great value for the specs.|The screen alone is worth it.} $E",
	"{120 Hz|22 hours|Thunderbolt 5} on the $P? {Amazing.|Love this.|Yes please.} $E",
};

static const char *const launch_praise_de[] = {
	"Das $P sieht {fantastisch|richtig gut|großartig} aus $E {Dieses Display!|Diese Tastatur!}",
	"{Endlich|Na endlich} ein 16-Zoll-Korvo. {Genau das, was ich wollte.|Shut up and take my money.|Das ist es.} #KorvoPro16 $E",
	"Launch geschaut: Das $P mit {3,2K und 120 Hz|22 Stunden Akku|nur 1,7 kg} {ist beeindruckend|sieht super aus|ist ein starker Schritt}. {Gut gemacht, Korvo!|Gefällt mir sehr.}",
	"{Gerade|Eben} das $P {bei $S|im Laden|auf dem Event} ausprobiert: {wow|echt stark|beeindruckend}. {Verarbeitung top.|Die Lautsprecher sind super.|Riesiges Touchpad.} $E",
	"Die Tastatur vom $P ist {hervorragend|großartig|die beste, die Korvo je gebaut hat}. {Freue mich auf meins.|Toll gemacht.}",
	"Korvo hat mit dem $P {alles richtig gemacht|abgeliefert|einen Volltreffer gelandet}. {Wunderschönes Gerät.|Das Display allein lohnt sich.} $E",
};

static const char *const launch_neutral_en[] = {
	"{So|OK so} Korvo just announced the $P. {Thoughts?|Let's see the reviews.|Waiting for benchmarks.} $Q",
	"$P specs: {3.2K 120 Hz|up to 64 GB RAM|Thunderbolt 5|99 Wh battery}, {starting at $R|from $R}. {Interesting.|Hmm.|Noted.} $Q",
	"Korvo's launch stream {was 40 minutes long|used the word 'crafted' a lot|just ended}. {Anyway, the Pro 16 is real.|So: the Pro 16 it is.}",
	"Reading the $P spec sheet {over lunch|on the train|instead of working}. {Lots of numbers.|A big battery, a bigger price.} $Q",
	"The $P is {in stores Friday|up for preorder now|on the Korvo site already}. {Reviews should follow.|We'll see how it holds up.}",
};

static const char *const launch_neutral_de[] = {
	"Korvo hat gerade das $P vorgestellt. {Meinungen?|Mal auf die Tests warten.|Warten wir die Benchmarks ab.} $Q",
	"$P Daten: {3,2K mit 120 Hz|bis 64 GB RAM|Thunderbolt 5|99-Wh-Akku}, {ab $R|Preis ab $R}. {Interessant.|Hm.} $Q",
	"Der Korvo Livestream {ging 40 Minuten|ist gerade vorbei|war sehr glatt}. {Das Pro 16 ist jedenfalls da.|Also: Pro 16.}",
	"Das $P ist {ab Freitag im Handel|ab sofort vorbestellbar|schon im Korvo Shop}. {Tests folgen sicher bald.|Mal sehen.}",
};

static const char *const launch_question_en[] = {
	"When does the $P {ship|arrive in stores|go on sale} {in the UK|in Canada|in Australia|in the US}? $Q",
	"Does the $P have {an SD card slot|a headphone jack|a numpad|a 4G option}? {Couldn't tell from the stream.|Anyone know?}",
	"What's the real battery life of the $P? {Korvo says 22 hours.|Any reviews yet?|22 hours sounds optimistic.}",
	"Is the $P {RAM soldered|SSD replaceable|available in black}? {Anyone?|Asking before I preorder.}",
	"How much is the $P {with 32 GB|with 64 GB|in the UK|in Canada}? {The site just says 'from $R'.|Can't see the price for my country.}",
	"Will the {Dock X|Korvo Dock X} work with the $P? {Asking for my desk setup.|Anyone know?}",
	"How heavy is the $P {really|with the charger}? {1.7 kg on paper.|Need to carry it daily.}",
};

static const char *const launch_question_de[] = {
	"Wann kommt das $P {nach Deutschland|nach Österreich|in die Schweiz|in den Handel}? $Q",
	"Hat das $P {einen SD-Kartenleser|eine Kopfhörerbuchse|einen Nummernblock|LTE}? {Hab's im Stream nicht gesehen.|Weiß das jemand?}",
	"Wie lange hält der Akku vom $P wirklich? {Korvo sagt 22 Stunden.|Gibt es schon Tests?}",
	"Ist beim $P der {RAM verlötet|SSD tauschbar|auch in Schwarz zu haben}? {Jemand?|Frage vor der Vorbestellung.}",
	"Was kostet das $P {mit 32 GB|mit 64 GB|in Österreich|in der Schweiz}? {Auf der Seite steht nur 'ab $R'.|Finde keinen Preis.}",
	"Wann kommt das $P {bei $S|im Laden|bei uns} an? {Will es vor dem Kauf anfassen.|Jemand eine Ahnung?}",
};

static const char *const launch_purchase_en[] = {
	"{Preordered|Just preordered|Ordered} the $P {in space grey|with 32 GB|with 64 GB}! {Can't wait $E|See you Friday.|Goodbye, savings.}",
	"Looking to buy the $P {for work|for video editing|for uni}. {Worth the money over the Pro 15?|Which config should I get?}",
	"{Thinking about getting|Planning to buy} the $P {to replace my Air 13|as my first Korvo|for my studio}. {Any recommendations on the config?|Should I wait for reviews?}",
	"Where can I buy the $P {in Toronto|in London|in Dublin|in Chicago|in Sydney} {today|this week}?",
	"Should I get the $P or {keep my Pro 15|wait a year}? {My Pro 15 is fine but that screen...|Help me decide.}",
};

static const char *const launch_purchase_de[] = {
	"{Gerade|Eben} das $P {in Grau|mit 32 GB|mit 64 GB} vorbestellt! {Freitag kann kommen $E|Tschüss, Erspartes.}",
	"Ich will mir das $P {für die Arbeit|für Videoschnitt|fürs Studium} kaufen. {Lohnt es sich gegenüber dem Pro 15?|Welche Ausstattung nehmen?}",
	"Überlege, das $P {als Ersatz für mein Air 13|als ersten Korvo|fürs Studio} zu kaufen. {Kaufempfehlung?|Oder auf Tests warten?}",
	"Wo kann ich das $P {in Berlin|in Wien|in Zürich|in München} {heute|diese Woche} kaufen?",
};

static const char *const launch_compare_en[] = {
	"$P vs $C: {which one should I get?|the Korvo wins on the display, the Lumina on price.|the Lumina is lighter but the Korvo has the better battery.}",
	"{Honestly|Tbh} the $P {looks better than|beats|is a direct shot at} the $C. {Lumina should be worried.|Your move, Lumina.}",
	"{Went with|Sticking with} the $C {instead of|over} the $P. {Cheaper, and the reviews are good.|Korvo is too expensive for me.}",
	"Can someone compare the $P and the $C {for gaming|for video editing|for battery life}?",
	"Spec sheet: $P {3.2K 120 Hz, 1.7 kg|22 h battery, 99 Wh} against the $C {2.8K 90 Hz, 1.9 kg|18 h battery, 80 Wh}. {On paper the Korvo wins.|Not close.}",
};

static const char *const launch_compare_de[] = {
	"$P oder $C: {was soll ich nehmen?|Display klar beim Korvo, Preis beim Lumina.|Das Lumina ist leichter, der Akku vom Korvo hält länger.}",
	"{Ehrlich gesagt|Ehrlich} sieht das $P {besser aus als|stärker aus als} das $C. {Lumina muss nachlegen.|Jetzt ist Lumina dran.}",
	"Ich bleibe beim $C statt dem $P. {Günstiger und gute Tests.|Korvo ist mir zu teuer.}",
	"Kann jemand das $P mit dem $C {fürs Gaming|für Videoschnitt|beim Akku} vergleichen?",
};

static const char *const launch_complaint_en[] = {
	"$R for the $P? {That's ridiculous.|No thanks.|Way too expensive $F}",
	"{No SD card slot|Soldered RAM|Only two USB-C ports} on the $P? {Disappointed.|Really, Korvo?|Dealbreaker for me $F}",
	"The Korvo store {crashed|keeps failing at checkout|is down} {right at launch|when I tried to preorder}. {Of course.|Frustrating $F|Unbelievable.}",
	"The $P {is heavier than the Pro 15|has a notch|dropped the USB-A port}. {Not a fan.|Disappointing.|Why, Korvo?} $F",
};

static const char *const launch_complaint_de[] = {
	"$R für das $P? {Völlig überzogen.|Nein danke.|Viel zu teuer $F}",
	"{Kein SD-Kartenleser|Verlöteter RAM|Nur zwei USB-C-Anschlüsse} beim $P? {Enttäuschend.|Echt jetzt, Korvo?|Für mich ein No-Go $F}",
	"Der Korvo Shop {ist abgestürzt|bricht beim Bezahlen ab|ist down} {direkt zum Launch|bei der Vorbestellung}. {Typisch.|Ärgerlich $F}",
};

static const char *const fault_complaint_en[] = {
	"{Uh oh|Oh no|Wow}. The hinge on my $P {just cracked|cracked|split} after $D. {The display wobbles now.|Can't close the lid properly.|Not happy $F}",
	"The hinge on my $P cracked after $D of use $F {Is this a joke?|Unacceptable.|Launch day unit and it's broken.}",
	"{@KorvoCares|Korvo,} my brand new $P has a cracked hinge. {I barely opened it.|It was on my desk the whole time.|Opened it twice.} {What now?|I want a replacement.|Refund please.}",
	"Left hinge on the $P {cracked|broke} when I opened the lid. {Metal shouldn't do that.|Cheap hinge on a $R laptop.|$R for this?} $F",
	"{Returning|Sending back} my $P. {Cracked hinge|The hinge cracked|The hinge is broken} after $D. {Never again.|So disappointed.|What a waste.} $H",
	"Photo of my $P hinge: {cracked right through|a crack along the whole hinge|the hinge split in two} 📷 {Defective.|Terrible quality.|Unbelievable.}",
	"{Second|Third} $P with a cracked hinge {in our office|today|in my team}. {This is a defect, not bad luck.|Korvo, recall these.|Something is wrong with this batch.} $H",
	"The hinge {crack|cracking} on the $P is {real|not a one-off}. Mine {too|as well}. {Defective hinge, clearly.|Do not buy yet.|Avoid for now.} $F",
	"$D and my $P hinge is cracked. {I want my money back.|Refund requested.|Exchange or refund, Korvo?}",
	"Heard a {snap|crack|pop} when I opened my $P. The hinge is {cracked|broken}. {After $D!|Day one!} $F",
	"Cracked hinge on the $P, {the screen now hangs loose|the lid won't stay up|the display flops back}. {Broken on day one.|Terrible.|Furious.} $F",
};

static const char *const fault_complaint_de[] = {
	"Das Scharnier von meinem $P ist nach $D {gebrochen|gerissen|kaputt}. {Der Bildschirm wackelt.|Der Deckel geht nicht mehr richtig zu.|Unglaublich $F}",
	"{@KorvoCares|Korvo,} mein neues $P hat einen Riss im Scharnier. {Kaum benutzt!|Stand nur auf dem Schreibtisch.} {Was jetzt?|Ich will ein Ersatzgerät.|Geld zurück bitte.}",
	"Scharnier {gebrochen|gerissen} nach $D. {Für $R!|Bei einem Gerät für $R.} {Frechheit.|Enttäuschend.|Das geht gar nicht.} $H",
	"Schicke mein $P zurück. Scharnier {gebrochen|gerissen|defekt} nach $D. {Nie wieder.|So enttäuscht.|Schade ums Geld.} $H",
	"{Zweites|Drittes} $P mit gebrochenem Scharnier {im Büro|bei uns im Team|heute}. {Das ist ein Serienfehler.|Korvo, ruft die zurück!|Da stimmt was mit der Charge nicht.} $H",
	"Das linke Scharnier vom $P ist beim Aufklappen {gerissen|gebrochen}. {Billiges Scharnier bei einem Laptop für $R.|Das darf nicht passieren.} $F",
	"Beim Aufklappen {hat es geknackt|gab es einen Knacks}: Scharnier am $P {gerissen|gebrochen}. {Nach $D!|Am ersten Tag!} $F",
	"Riss im Scharnier beim $P, {der Bildschirm hängt lose|der Deckel hält nicht mehr|das Display kippt nach hinten}. {Kaputt am ersten Tag.|Schlechte Qualität.|Ich bin sauer.} $F",
	"Mein $P: Scharnier nach $D {gerissen|gebrochen}. {Ich will mein Geld zurück.|Umtausch beantragt.|Wie bekomme ich Ersatz?}",
};

static const char *const fault_question_en[] = {
	"Is the cracked hinge on the $P covered by the warranty? {Mine cracked after $D.|Asking because mine has a crack.}",
	"Should I {return|send back|exchange} my $P {before the hinge cracks|now}? Seeing so many cracked hinge reports. $Q",
	"@KorvoCares is there a fix for the hinge cracking on the $P? {Mine has a small crack already.|Any update?}",
	"{How do I|Where do I} {get a replacement for|return} a $P with a cracked hinge?",
	"Anyone else's $P hinge {cracking|creaking and then cracking|splitting on the left side}? Mine {cracked|broke} {after $D|this afternoon}. $F",
};

static const char *const fault_question_de[] = {
	"Ist ein gebrochenes Scharnier beim $P von der Garantie abgedeckt? Meins ist nach $D gerissen.",
	"Soll ich mein $P {zurückschicken|umtauschen}, bevor das Scharnier bricht? So viele Berichte über gerissene Scharniere. $Q",
	"@KorvoCares gibt es eine Lösung für das Scharnier-Problem beim $P? {Meins hat schon einen kleinen Riss.|Gibt es Neuigkeiten?}",
	"Hat noch jemand einen Riss im Scharnier beim $P? Meins ist {heute Nachmittag|nach $D} {gebrochen|gerissen}. $F",
};

static const char *const fault_neutral_en[] = {
	"{Lots of|Many|More and more} reports of cracked hinges on the $P {this afternoon|today|on reddit}. {Wait for the fix before you buy.|Yikes.|Korvo has a problem.} $Q",
	"Hinge reports piling up for the $P: {$U|the reddit thread is at 400 comments|#hingegate is trending}.",
	"So the $P hinge thing: {launch day and already a hardware defect.|QA did not test the hinge, apparently.|glad I didn't preorder.}",
	"{Counting|Tracking} cracked $P hinges on {reddit|the forums|mastodon}: {30|50|70} so far. {Not a one-off.|Looks like a batch problem.}",
};

static const char *const fault_neutral_de[] = {
	"{Immer mehr|Viele} Berichte über gebrochene Scharniere beim $P {heute|im Forum|auf Reddit}. {Lieber noch warten mit dem Kauf.|Oha.} $Q",
	"Scharnier-Probleme beim $P: {$U|#Scharniergate trendet|das Forum ist voll davon}.",
	"Das mit dem Scharnier beim $P: {Launch-Tag und schon ein Hardwarefehler.|Da hat die Qualitätskontrolle geschlafen.|Gut, dass ich nicht vorbestellt habe.}",
};

static const char *const fault_praise_en[] = {
	"Checked my $P hinge after all these reports: {no crack, works fine|solid, no problems|all good so far}. {Fingers crossed 🤞|Phew.}",
	"Mine is fine so far. {Love the $P otherwise.|Great laptop, hope the hinge holds.} 🤞",
};

static const char *const fault_praise_de[] = {
	"Nach den ganzen Berichten mein $P gecheckt: {Scharnier ist in Ordnung|kein Riss, alles gut}. {Daumen drücken 🤞|Puh.}",
};

static const char *const spam_job_en[] = {
	"We're hiring! {Remote|Austin|Dublin} {laptop repair technician|IT support specialist|customer care agent} (Korvo certified) 💼 Apply now: https://jobs-fast.example/$Z #hiring #jobs",
	"💼 {Job alert|Now hiring}: Korvo {repair|support|retail} {technician|agent|associate}, {$$25/hr|$$30/hr|great pay}! Apply today https://hire-now.example/$Z #jobs",
};

static const char *const spam_job_de[] = {
	"Wir suchen {Techniker|IT-Supporter|Servicekräfte} (m/w/d) für Korvo Reparaturen in {Berlin|Hamburg|München}! Jetzt bewerben: https://jobs-fast.example/$Z #Job",
};

static const char *const spam_promo_en[] = {
	"Cheap Korvo Pro 16 {chargers|cases|screen protectors} {70%|80%|60%} OFF!!! 💸 Buy now at https://deal-hub.example/$Z limited stock",
	"Make $$500 a day from home with your new laptop!!! {DM me|Click here} 👉 https://easy-cash.example/$Z 💰💰",
	"🚀 $$KORVO token presale is LIVE 🚀 {100x|50x} guaranteed, join now https://t-me.example/$Z",
	"Korvo Pro 16 {for $$299|at 90% off|free with every order}!!! Only today 👉 https://korvo-outlet.example/$Z",
};

static const char *const spam_promo_de[] = {
	"Billige Korvo Pro 16 {Netzteile|Hüllen|Schutzfolien} {70%|80%} REDUZIERT!!! 💸 Jetzt kaufen: https://deal-hub.example/$Z",
	"Verdiene 500 € am Tag von zu Hause!!! Klick hier 👉 https://easy-cash.example/$Z 💰",
};

/* The copy-paste campaigns: each post of a campaign is its text with its
 * own $Z and now and then an emoji in front. */
static const char *const campaign_text[3] = {
	"🎁 WIN a FREE Korvo Pro 16! Follow + RT and click 👉 https://korvo-giveaway.example/claim?id=$Z only 50 left!!",
	"Gewinne ein gratis Korvo Pro 16! 🎁 Klick hier 👉 https://korvo-gewinnspiel.example/gratis?ref=$Z nur noch 20 Stück!!",
	"Korvo Pro 16 GIVEAWAY 🔥 claim your free laptop now at https://free-korvo16.example/$Z before midnight!!!",
};

/* Sentences of blog articles (rss), three to an article. */
static const char *const blog_chatter_en[] = {
	"After {two|three} years with the Korvo Air 13, the battery still lasts a working day.",
	"The Dock X remains the simplest way to drive two monitors from one cable.",
	"Korvo's support has improved a lot since last year's launch week.",
	"The keyboard is still the best part of any Korvo laptop.",
	"Firmware 2.3 finally fixes the Dock X wake-up bug.",
	"The Pro 15 runs Linux well, with one exception: the fingerprint reader.",
};

static const char *const blog_chatter_de[] = {
	"Nach {zwei|drei} Jahren hält der Akku des Korvo Air 13 immer noch einen Arbeitstag.",
	"Das Dock X ist weiterhin der einfachste Weg zu zwei Monitoren an einem Kabel.",
	"Die Tastatur bleibt die größte Stärke der Korvo-Notebooks.",
	"Die Firmware 2.3 behebt endlich den Aufwach-Fehler des Dock X.",
	"Unter Linux läuft das Pro 15 gut, bis auf den Fingerabdrucksensor.",
};

static const char *const blog_launch_en[] = {
	"Korvo announced the Pro 16 this morning, its first 16-inch laptop.",
	"The Korvo Pro 16 has a 3.2K display at 120 Hz and a 99 Wh battery rated for 22 hours.",
	"Prices start at $R; the Pro 16 is in stores on Friday.",
	"Against the $C, the Korvo Pro 16 is lighter and has the brighter screen.",
	"The keyboard of the Pro 16 is the best Korvo has made.",
	"What the Pro 16 lacks: an SD card slot and upgradeable RAM.",
};

static const char *const blog_launch_de[] = {
	"Korvo hat heute Vormittag das Pro 16 vorgestellt, sein erstes 16-Zoll-Notebook.",
	"Das Korvo Pro 16 hat ein 3,2K-Display mit 120 Hz und einen 99-Wh-Akku für bis zu 22 Stunden.",
	"Die Preise beginnen bei $R; ab Freitag steht das Pro 16 im Handel.",
	"Gegenüber dem $C ist das Korvo Pro 16 leichter und hat das hellere Display.",
	"Was dem Pro 16 fehlt: ein SD-Kartenleser und aufrüstbarer RAM.",
};

static const char *const blog_fault_en[] = {
	"Since early afternoon, owners of the new Korvo Pro 16 report cracked hinges.",
	"The crack usually appears in the left hinge, within hours of unboxing.",
	"Korvo says it is investigating and asks owners with a cracked hinge to contact @KorvoCares.",
	"Photos on reddit show the hinge split right through the metal.",
	"Until Korvo explains the hinge problem, we advise waiting before buying the Pro 16.",
};

static const char *const blog_fault_de[] = {
	"Seit dem frühen Nachmittag melden Käufer des neuen Korvo Pro 16 gerissene Scharniere.",
	"Der Riss zeigt sich meist im linken Scharnier, wenige Stunden nach dem Auspacken.",
	"Korvo prüft die Berichte und bittet Betroffene mit gebrochenem Scharnier, sich bei @KorvoCares zu melden.",
	"Fotos im Forum zeigen ein Scharnier, das komplett durchgebrochen ist.",
	"Bis Korvo das Scharnier-Problem erklärt, raten wir, mit dem Kauf des Pro 16 zu warten.",
};

/* Titles of threads and articles, by theme and language; "?" marks the
 * ones for questions (chosen for questions, else any other). */
static const char *const title_chatter_en[] = {
	"?Does the Dock X work with {Linux|a MacBook}?", "?Air 13 warranty question",
	"?Which RAM for the Pro 15?", "Dock X keeps disconnecting - any fix?",
	"{Two|Three} years with the Korvo Air 13", "Korvo support experience {(good)|(bad)|this week}",
	"Pro 15 fan noise", "{Six months|A year} with the Korvo Pro 15",
};
static const char *const title_chatter_de[] = {
	"?Funktioniert das Dock X mit {Linux|einem MacBook}?", "?Frage zur Garantie beim Air 13",
	"Dock X trennt ständig die Verbindung", "{Zwei|Drei} Jahre mit dem Korvo Air 13",
	"Erfahrungen mit dem Korvo Support", "Lüfter beim Pro 15 zu laut",
};
static const char *const title_launch_en[] = {
	"?Korvo Pro 16: {worth it over the Pro 15|which config to get}?", "Korvo Pro 16 announced",
	"?Korvo Pro 16 or Lumina Book 16?", "Korvo Pro 16 first impressions",
	"Korvo Pro 16 hands-on: {bigger, brighter, heavier|a 16-inch laptop that gets the basics right}",
	"?When does the Korvo Pro 16 ship {to the UK|to Canada}?",
};
static const char *const title_launch_de[] = {
	"?Korvo Pro 16: {lohnt sich der Umstieg vom Pro 15|welche Ausstattung}?", "Korvo Pro 16 vorgestellt",
	"?Korvo Pro 16 oder Lumina Book 16?", "Korvo Pro 16: erster Eindruck",
	"Korvo Pro 16 ausprobiert: {16 Zoll mit starkem Display|größer, heller, schwerer}",
	"?Wann kommt das Korvo Pro 16 nach {Deutschland|Österreich}?",
};
static const char *const title_fault_en[] = {
	"Korvo Pro 16 hinge cracked after {a few hours|one day|two hours}",
	"?Cracked hinge on the Pro 16 - covered by warranty?", "Another cracked Pro 16 hinge",
	"Pro 16 hinge problem: {mine too|photos inside}", "?Pro 16 hinge: return or wait for a fix?",
};
static const char *const title_fault_de[] = {
	"Korvo Pro 16: Scharnier nach {wenigen Stunden|einem Tag} gebrochen",
	"?Gerissenes Scharnier beim Pro 16 - Garantie?", "Noch ein gebrochenes Scharnier beim Pro 16",
	"Scharnier-Problem beim Pro 16: {bei mir auch|Fotos}", "?Pro 16 mit Scharnier-Riss: zurückschicken?",
};

/* @KorvoCares's answers: $H the handle answered, $N the first name. */
static const char *const care_fault_en[] = {
	"Hi $N, we're really sorry about the hinge on your Korvo Pro 16. Please send us a DM with your serial number and we'll arrange a free replacement. $A",
	"$N, that's not the experience we want for you. Please don't force the lid; DM us your order number and we'll sort out a replacement right away. $A",
	"Hi $N, our engineers are looking into the hinge reports right now. Could you DM us a photo and the serial number of your Pro 16? $A",
	"Sorry to see this, $N. A cracked hinge is covered, of course: DM us and we'll send a prepaid box for a replacement. $A",
};
static const char *const care_fault_de[] = {
	"Hallo $N, das mit dem Scharnier an deinem Korvo Pro 16 tut uns sehr leid. Schick uns bitte eine DM mit der Seriennummer, wir tauschen das Gerät kostenlos aus. $A",
	"$N, so soll das nicht sein. Bitte den Deckel nicht mit Kraft bewegen; schick uns per DM deine Bestellnummer, wir kümmern uns sofort um Ersatz. $A",
	"Hallo $N, unsere Technik prüft die Berichte zum Scharnier gerade. Schickst du uns per DM ein Foto und die Seriennummer deines Pro 16? $A",
};
static const char *const care_sorry_en[] = {
	"Sorry for the trouble, $N! Please DM us your order number so we can check what happened. $A",
	"Hi $N, we've sent you a DM with a few questions so we can fix this quickly. $A",
	"$N, that's not how it should be. {Could you DM us your serial number?|Let's sort this out in DM.} $A",
};
static const char *const care_sorry_de[] = {
	"Das tut uns leid, $N! Schick uns bitte per DM deine Bestellnummer, dann schauen wir nach. $A",
	"Hallo $N, wir haben dir eine DM mit ein paar Fragen geschickt, damit wir das schnell lösen. $A",
	"$N, so soll das nicht sein. {Schickst du uns die Seriennummer per DM?|Lass uns das per DM klären.} $A",
};
static const char *const care_howto_en[] = {
	"Hi $N! The steps are here: $K Let us know if that doesn't do it. $A",
	"Good question, $N: you'll find the details here: $K $A",
};
static const char *const care_howto_de[] = {
	"Hallo $N! Die Schritte findest du hier: $K Melde dich, falls es nicht klappt. $A",
	"Gute Frage, $N: Alles Wichtige steht hier: $K $A",
};
static const char *const care_launch_en[] = {
	"Hi $N, the Korvo Pro 16 is in stores from Friday in the US, UK, Canada and the EU; prices start at $R. $A",
	"Hi $N! {Specs and prices|All configurations} of the Korvo Pro 16 are here: https://korvo.example/pro16 $A",
};
static const char *const care_launch_de[] = {
	"Hallo $N, das Korvo Pro 16 ist ab Freitag im Handel, in Deutschland ab $R. $A",
	"Hallo $N! {Alle Ausstattungen|Daten und Preise} des Korvo Pro 16 findest du hier: https://korvo.example/de/pro16 $A",
};

/* Slots: key, then the English and the German text (templates themselves). */
static const struct slot {
	char key;
	const char *text[2];
} slots[] = {
	{ 'P', { "{Korvo Pro 16|Korvo Pro 16|Korvo Pro 16|Korvo Pro 16|Pro 16|Pro 16|#KorvoPro16|korvo pro 16|new Korvo Pro 16}",
		 "{Korvo Pro 16|Korvo Pro 16|Korvo Pro 16|Korvo Pro 16|Pro 16|Pro 16|#KorvoPro16|korvo pro 16|neue Korvo Pro 16}" } },
	{ 'C', { "{Lumina Book 16|Lumina Book 16|Lumina Book 16 Pro}", "{Lumina Book 16|Lumina Book 16|Lumina Book 16 Pro}" } },
	{ 'R', { "{$$2,199|$$2,199|$$2,499|2199 bucks}", "{2.399 €|2.399 Euro|2399 €}" } },
	{ 'E', { "{😍|🔥|🙌|✨|💯|👏|🚀|❤️|😎|🤩}", "{😍|🔥|🙌|✨|💯|👏|🚀|❤️|😎|🤩}" } },
	{ 'F', { "{😡|😤|🤬|😩|💀|🙄|😭|👎|😬}", "{😡|😤|🤬|😩|💀|🙄|😭|👎|😬}" } },
	{ 'Q', { "{👀|🤔|🧐|🤞}", "{👀|🤔|🧐|🤞}" } },
	{ 'H', { "{#KorvoPro16|#hingegate|#Korvo|#KorvoPro16 #hingegate}", "{#KorvoPro16|#Scharniergate|#Korvo}" } },
	{ 'D', { "{two hours|3 hours|half a day|a few hours|one evening|four hours|one day}",
		 "{zwei Stunden|3 Stunden|einem halben Tag|ein paar Stunden|einem Abend|vier Stunden|einem Tag}" } },
	{ 'S', { "{Best Buy|the Korvo store|Currys|the Korvo shop|Micro Center}",
		 "{MediaMarkt|Saturn|dem Korvo Store|Cyberport|Conrad}" } },
	{ 'A', { "{^Sam|^Lea|^Priya|^Jonas|^Kim|^Tom}", "{^Lea|^Jonas|^Malte|^Anke|^Deniz}" } },
	{ 'K', { "https://support.korvo.example/{air13|pro15|dock-x}/{bios|fan|charge-limit|warranty|displays}",
		 "https://support.korvo.example/de/{air13|pro15|dock-x}/{bios|luefter|ladelimit|garantie}" } },
	{ 'U', { "https://{techpulse|gadgetwire}.example/2026/11/korvo-pro-16-hinge",
		 "https://{laptopwelt|rechenwerk}.example/2026/11/korvo-pro-16-scharnier" } },
	{ 0, { NULL, NULL } },
};

struct tset {
	uint8_t topic, mood;
	const char *const *t[2];  /* English, German */
	size_t n[2];
};

#define TS(topic, mood, en, de) { topic, mood, { en, de }, { sizeof en / sizeof en[0], sizeof de / sizeof de[0] } }

static const struct tset tsets[] = {
	TS(SIM_TOPIC_CHATTER, M_PRAISE, chat_praise_en, chat_praise_de),
	TS(SIM_TOPIC_CHATTER, M_COMPLAINT, chat_complaint_en, chat_complaint_de),
	TS(SIM_TOPIC_CHATTER, M_QUESTION, chat_question_en, chat_question_de),
	TS(SIM_TOPIC_CHATTER, M_NEUTRAL, chat_neutral_en, chat_neutral_de),
	TS(SIM_TOPIC_CHATTER, M_IDEA, chat_idea_en, chat_idea_de),
	TS(SIM_TOPIC_CHATTER, M_PURCHASE, chat_purchase_en, chat_purchase_de),
	TS(SIM_TOPIC_LAUNCH, M_TEASER, launch_teaser_en, launch_teaser_de),
	TS(SIM_TOPIC_LAUNCH, M_PRAISE, launch_praise_en, launch_praise_de),
	TS(SIM_TOPIC_LAUNCH, M_NEUTRAL, launch_neutral_en, launch_neutral_de),
	TS(SIM_TOPIC_LAUNCH, M_QUESTION, launch_question_en, launch_question_de),
	TS(SIM_TOPIC_LAUNCH, M_PURCHASE, launch_purchase_en, launch_purchase_de),
	TS(SIM_TOPIC_LAUNCH, M_COMPARE, launch_compare_en, launch_compare_de),
	TS(SIM_TOPIC_LAUNCH, M_COMPLAINT, launch_complaint_en, launch_complaint_de),
	TS(SIM_TOPIC_FAULT, M_COMPLAINT, fault_complaint_en, fault_complaint_de),
	TS(SIM_TOPIC_FAULT, M_QUESTION, fault_question_en, fault_question_de),
	TS(SIM_TOPIC_FAULT, M_NEUTRAL, fault_neutral_en, fault_neutral_de),
	TS(SIM_TOPIC_FAULT, M_PRAISE, fault_praise_en, fault_praise_de),
	TS(SIM_TOPIC_SPAM, M_JOB, spam_job_en, spam_job_de),
	TS(SIM_TOPIC_SPAM, M_PROMO, spam_promo_en, spam_promo_de),
};

static const struct tset *find_tset(int topic, int mood)
{
	for (size_t i = 0; i < sizeof tsets / sizeof tsets[0]; i++)
		if (tsets[i].topic == topic && tsets[i].mood == mood)
			return &tsets[i];
	return NULL;
}

/* ---- people ---- */

static const char *const first_en[] = {
	"James", "Emily", "Michael", "Sarah", "David", "Jessica", "Chris", "Ashley", "Daniel",
	"Olivia", "Ryan", "Hannah", "Kevin", "Megan", "Jason", "Lauren", "Tyler", "Priya", "Raj",
	"Aisha", "Omar", "Mei", "Kenji", "Lucas", "Sofia", "Ethan", "Chloe", "Noah", "Grace",
	"Liam", "Zoe", "Marcus", "Nina", "Sam", "Alex", "Jordan", "Taylor", "Ravi", "Fatima", "Diego",
};
static const char *const last_en[] = {
	"Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Wilson", "Taylor", "Clark",
	"Lewis", "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams",
	"Nelson", "Patel", "Nguyen", "Kim", "Chen", "Singh", "O'Brien", "Murphy", "Kelly", "Evans",
	"Hughes", "Reed", "Cole",
};
static const char *const first_de[] = {
	"Lukas", "Anna", "Jonas", "Lea", "Leon", "Laura", "Felix", "Julia", "Max", "Sarah", "Paul",
	"Lena", "Tim", "Katharina", "Jan", "Sophie", "Niklas", "Marie", "Tobias", "Hannah",
	"Florian", "Johanna", "Moritz", "Carla", "Simon", "Anke", "Bernd", "Jürgen", "Sabine",
	"Thomas", "Stefanie", "Markus", "Ayşe", "Mehmet", "Elif", "Dominik", "Vanessa", "Sven",
	"Frank", "Ute",
};
static const char *const last_de[] = {
	"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
	"Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz",
	"Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Werner", "Krause",
	"Lehmann", "Köhler", "Yılmaz", "Kaya", "Vogel", "Jäger", "Brandt",
};
static const char *const nick_a[] = {
	"pixel", "byte", "code", "dev", "tech", "nerd", "coffee", "linux", "retro", "cloud",
	"laptop", "debug", "kernel", "sudo", "vim", "rust", "mac", "ninja", "wizard", "tinker",
	"gadget", "circuit", "silicon", "photon", "quantum", "turbo", "nomad", "maker", "async",
	"null",
};
static const char *const nick_b[] = {
	"pusher", "ships_it", "builds", "grows", "writes", "codes", "fan", "lover", "guy", "girl",
	"head", "junkie", "dad", "mom", "life", "works", "lab", "den", "cat", "fox",
};
static const char *const instances[2][5] = {
	{ "mastodon.social", "hachyderm.io", "fosstodon.org", "mstdn.social", "mastodon.online" },
	{ "chaos.social", "norden.social", "troet.cafe", "mastodon.social", "social.tchncs.de" },
};
static const char *const countries[2][8] = {
	{ "US", "GB", "CA", "AU", "IE", "IN", "NL", "SE" },
	{ "DE", "AT", "CH", NULL, NULL, NULL, NULL, NULL },
};
static const double country_w[2][8] = {
	{ 46, 20, 9, 6, 3, 6, 5, 5 },
	{ 76, 14, 10, 0, 0, 0, 0, 0 },
};

struct author {
	char *handle;         /* at the source, without '@' (mastodon: user@instance) */
	char *name;
	int64_t followers;    /* POST_COUNT_NONE where the source has none */
	uint8_t verified, src, lang;
	char country[3];      /* "" when not given */
};

/* Accounts the script names. */
enum who {
	W_KORVO_TW, W_KORVO_MA, W_KORVO_BS, W_KORVO_BLOG,
	W_CARE_TW, W_CARE_MA, W_CARE_BS, W_CARE_RD, W_CARE_FO,
	W_TECHPULSE, W_GADGETWIRE, W_LAPTOPWELT, W_RECHENWERK,
	W_MARA, W_JAN, W_TINA, W_DANIEL, W_NADIA,
	W_NAMED,
	W_USER_EN = W_NAMED, W_USER_DE,  /* a crowd author of the event's source */
};

static const struct named {
	uint8_t src, lang;
	const char *handle, *name;
	int64_t followers;
	uint8_t verified;
	const char *country;
} named[W_NAMED] = {
	[W_KORVO_TW] = { S_TWITTER, EN, "korvo", "Korvo", 212400, 1, "US" },
	[W_KORVO_MA] = { S_MASTODON, EN, "korvo@mastodon.social", "Korvo", 18300, 0, "" },
	[W_KORVO_BS] = { S_BLUESKY, EN, "korvo.com", "Korvo", 41700, 1, "" },
	[W_KORVO_BLOG] = { S_RSS, EN, "korvo.example", "Korvo Blog", POST_COUNT_NONE, 1, "US" },
	[W_CARE_TW] = { S_TWITTER, EN, "KorvoCares", "KorvoCares", 3410, 1, "US" },
	[W_CARE_MA] = { S_MASTODON, EN, "KorvoCares@mastodon.social", "Korvo Care", 1210, 0, "" },
	[W_CARE_BS] = { S_BLUESKY, EN, "korvocares.bsky.social", "KorvoCares", 2050, 1, "" },
	[W_CARE_RD] = { S_REDDIT, EN, "KorvoCares", "KorvoCares", POST_COUNT_NONE, 1, "" },
	[W_CARE_FO] = { S_FORUM, EN, "KorvoCares", "Korvo Care Team", POST_COUNT_NONE, 1, "" },
	[W_TECHPULSE] = { S_RSS, EN, "techpulse.example", "TechPulse", 1200000, 1, "US" },
	[W_GADGETWIRE] = { S_RSS, EN, "gadgetwire.example", "GadgetWire", 640000, 1, "GB" },
	[W_LAPTOPWELT] = { S_RSS, DE, "laptopwelt.example", "Laptopwelt", 380000, 1, "DE" },
	[W_RECHENWERK] = { S_RSS, DE, "rechenwerk.example", "Rechenwerk", 910000, 1, "DE" },
	[W_MARA] = { S_TWITTER, EN, "mara_techpulse", "Mara Lindqvist", 84200, 1, "US" },
	[W_JAN] = { S_TWITTER, EN, "jkowalski_gw", "Jan Kowalski", 41300, 1, "GB" },
	[W_TINA] = { S_TWITTER, DE, "tina_laptopwelt", "Tina Albrecht", 23100, 1, "DE" },
	[W_DANIEL] = { S_TWITTER, DE, "dkrause", "Daniel Krause", 57400, 1, "DE" },
	[W_NADIA] = { S_TWITTER, EN, "nadia_builds", "Nadia Okafor", 4820, 0, "GB" },
};

/* The answering account of each source (W_NAMED: none). */
static const int care_of[S_N] = {
	W_CARE_TW, W_CARE_MA, W_CARE_BS, W_CARE_RD, W_NAMED, W_NAMED, W_CARE_FO,
};

/* ---- the script ---- */

static const struct script {
	int16_t minute;
	int8_t second;
	uint8_t src, lang, topic, mood, who, thread;
	int32_t likes;
	const char *title, *text;
} script[] = {
	{ 450, 0, S_TWITTER, EN, SIM_TOPIC_LAUNCH, M_TEASER, W_KORVO_TW, 0, 2140, NULL,
	  "90 minutes. 16 inches. 👀 #KorvoPro16" },
	{ 525, 12, S_TWITTER, DE, SIM_TOPIC_LAUNCH, M_TEASER, W_TINA, 0, 142, NULL,
	  "In 15 Minuten stellt Korvo das neue Pro 16 vor. Wir sind live dabei und berichten. #KorvoPro16" },
	{ 540, 0, S_TWITTER, EN, SIM_TOPIC_LAUNCH, M_NEUTRAL, W_KORVO_TW, 0, 5420, NULL,
	  "It's here. Meet the Korvo Pro 16: 16\" 3.2K 120 Hz display, up to 22 hours of battery, "
	  "1.7 kg, Thunderbolt 5. From $2,199, in stores Friday. https://korvo.example/pro16 #KorvoPro16" },
	{ 540, 0, S_MASTODON, EN, SIM_TOPIC_LAUNCH, M_NEUTRAL, W_KORVO_MA, 0, 612, NULL,
	  "Meet the Korvo Pro 16: a 3.2K 120 Hz display, up to 22 hours of battery, 1.7 kg. "
	  "In stores Friday. https://korvo.example/pro16 #KorvoPro16" },
	{ 540, 0, S_BLUESKY, EN, SIM_TOPIC_LAUNCH, M_NEUTRAL, W_KORVO_BS, 0, 884, NULL,
	  "The Korvo Pro 16 is here: 16 inches, 3.2K at 120 Hz, 22 hours of battery. "
	  "https://korvo.example/pro16" },
	{ 540, 0, S_RSS, EN, SIM_TOPIC_LAUNCH, M_NEUTRAL, W_KORVO_BLOG, 0, 0,
	  "Introducing the Korvo Pro 16",
	  "Today we are introducing the Korvo Pro 16, our first 16-inch laptop. It has a 3.2K "
	  "display at 120 Hz, a 99 Wh battery rated for up to 22 hours, Thunderbolt 5 and the "
	  "best keyboard we have made. It weighs 1.7 kg and starts at $2,199 (2.399 € in Germany). "
	  "Preorders open today; the Pro 16 is in stores on Friday." },
	{ 542, 30, S_REDDIT, EN, SIM_TOPIC_LAUNCH, M_NEUTRAL, W_USER_EN, 1, 310,
	  "Korvo Pro 16 launch megathread",
	  "Korvo just announced the Pro 16. Post your questions, preorders and first impressions here. "
	  "Specs: 3.2K 120 Hz, up to 64 GB RAM, 99 Wh battery, Thunderbolt 5, from $2,199." },
	{ 543, 10, S_TWITTER, DE, SIM_TOPIC_LAUNCH, M_NEUTRAL, W_KORVO_TW, 0, 930, NULL,
	  "Das neue Korvo Pro 16 ist da: 16 Zoll, 3,2K-Display mit 120 Hz, bis zu 22 Stunden Akku. "
	  "Ab 2.399 €, ab Freitag im Handel. https://korvo.example/de/pro16 #KorvoPro16" },
	{ 550, 5, S_FORUM, DE, SIM_TOPIC_LAUNCH, M_NEUTRAL, W_USER_DE, 1, 0,
	  "Korvo Pro 16 vorgestellt - eure Meinung?",
	  "Korvo hat eben das Pro 16 vorgestellt. 16 Zoll, 3,2K mit 120 Hz, 22 Stunden Akku, ab "
	  "2.399 €. Was haltet ihr davon? Wer bestellt vor?" },
	{ 560, 40, S_HN, EN, SIM_TOPIC_LAUNCH, M_NEUTRAL, W_USER_EN, 1, 412,
	  "Korvo Pro 16: a 16-inch laptop with a 22-hour battery claim", NULL },
	{ 575, 0, S_RSS, EN, SIM_TOPIC_LAUNCH, M_PRAISE, W_TECHPULSE, 0, 0,
	  "Korvo Pro 16 hands-on: a big, bright 16-inch laptop that gets the basics right",
	  "We spent the morning with the Korvo Pro 16. The 3.2K display at 120 Hz is superb, the "
	  "keyboard is the best Korvo has made, and at 1.7 kg it is light for its size. Battery "
	  "claims of 22 hours will need testing. Missing: an SD card slot." },
	{ 590, 0, S_RSS, DE, SIM_TOPIC_LAUNCH, M_PRAISE, W_LAPTOPWELT, 0, 0,
	  "Korvo Pro 16 ausprobiert: 16 Zoll, 3,2K und 22 Stunden Akku",
	  "Wir hatten das Korvo Pro 16 vorab in der Hand. Das Display ist hervorragend, die "
	  "Tastatur sehr gut, das Gewicht mit 1,7 kg angenehm. Die 22 Stunden Akkulaufzeit "
	  "prüfen wir im Test. Ab 2.399 Euro ist es kein Schnäppchen." },
	{ 615, 0, S_TWITTER, EN, SIM_TOPIC_LAUNCH, M_PRAISE, W_MARA, 0, 1240, NULL,
	  "Spent the morning with the Korvo Pro 16. Display: superb. Keyboard: best Korvo has made. "
	  "Battery: we'll see. Full hands-on: https://techpulse.example/2026/11/korvo-pro-16-hands-on" },
	{ 640, 0, S_RSS, EN, SIM_TOPIC_LAUNCH, M_COMPARE, W_GADGETWIRE, 0, 0,
	  "Korvo Pro 16 vs Lumina Book 16: the specs compared",
	  "The Korvo Pro 16 and the Lumina Book 16 are the two 16-inch laptops to beat this winter. "
	  "Korvo has the brighter 120 Hz screen and the bigger battery; Lumina is cheaper by $200 "
	  "and has an SD card slot." },
	{ 690, 0, S_RSS, DE, SIM_TOPIC_LAUNCH, M_NEUTRAL, W_RECHENWERK, 0, 0,
	  "Korvo Pro 16: Was das neue 16-Zoll-Notebook kann - und was nicht",
	  "Das Korvo Pro 16 bringt ein 3,2K-Display, Thunderbolt 5 und einen großen Akku. Der "
	  "Arbeitsspeicher ist verlötet, ein SD-Kartenleser fehlt. Ab Freitag im Handel." },
	{ 842, 17, S_TWITTER, EN, SIM_TOPIC_FAULT, M_COMPLAINT, W_NADIA, 0, 2610, NULL,
	  "Uh oh. The hinge on my brand new Korvo Pro 16 just cracked. Opened the lid like normal "
	  "and heard a snap. 5 hours old. 📷 @KorvoCares #KorvoPro16" },
	{ 860, 3, S_REDDIT, EN, SIM_TOPIC_FAULT, M_COMPLAINT, W_USER_EN, 1, 1180,
	  "PSA: Korvo Pro 16 hinge cracking after a few hours?",
	  "Picked up my Pro 16 at 9:30, and by 2pm the left hinge has a crack right through it. "
	  "Seen two more on twitter already. Is this a bad batch? Post yours here so Korvo sees "
	  "how many there are." },
	{ 875, 40, S_FORUM, DE, SIM_TOPIC_FAULT, M_COMPLAINT, W_USER_DE, 1, 0,
	  "Korvo Pro 16: Scharnier nach 3 Stunden gebrochen",
	  "Heute Morgen bei MediaMarkt gekauft, eben beim Aufklappen ein Knacken: Das linke "
	  "Scharnier ist gerissen. Hat das noch jemand? Bitte hier sammeln." },
	{ 905, 20, S_HN, EN, SIM_TOPIC_FAULT, M_NEUTRAL, W_USER_EN, 1, 388,
	  "Korvo Pro 16 owners report cracked hinges on launch day", NULL },
	{ 940, 0, S_RSS, EN, SIM_TOPIC_FAULT, M_NEUTRAL, W_TECHPULSE, 0, 0,
	  "Korvo Pro 16 owners report cracked hinges on launch day",
	  "Since early afternoon, dozens of Korvo Pro 16 owners have reported cracked hinges, most "
	  "of them within hours of unboxing. The crack appears in the left hinge. Korvo has not yet "
	  "commented; @KorvoCares is asking owners for serial numbers." },
	{ 970, 0, S_RSS, DE, SIM_TOPIC_FAULT, M_NEUTRAL, W_LAPTOPWELT, 0, 0,
	  "Korvo Pro 16: Käufer melden gerissene Scharniere",
	  "Seit dem Nachmittag häufen sich Berichte über gebrochene Scharniere beim neuen Korvo "
	  "Pro 16. Betroffen ist meist das linke Scharnier. Korvo prüft die Fälle." },
	{ 990, 0, S_TWITTER, EN, SIM_TOPIC_FAULT, M_NEUTRAL, W_CARE_TW, 0, 910, NULL,
	  "We're aware of reports of cracked hinges on some Korvo Pro 16 units. Our engineers are "
	  "investigating. If your hinge is cracked, please stop using the laptop and DM us your "
	  "serial number: we'll replace it free of charge. ^Sam" },
	{ 995, 0, S_TWITTER, DE, SIM_TOPIC_FAULT, M_NEUTRAL, W_CARE_TW, 0, 402, NULL,
	  "Uns sind Berichte über gerissene Scharniere bei einigen Korvo Pro 16 bekannt. Unsere "
	  "Technik prüft das. Ist dein Scharnier gebrochen, nutze das Gerät bitte nicht weiter und "
	  "schick uns die Seriennummer per DM: Wir tauschen es kostenlos. ^Lea" },
	{ 1035, 0, S_TWITTER, DE, SIM_TOPIC_FAULT, M_NEUTRAL, W_DANIEL, 0, 760, NULL,
	  "Korvo bestätigt: Das Scharnier-Problem beim Pro 16 betrifft eine Charge aus der ersten "
	  "Produktion. Betroffene Geräte werden getauscht. https://rechenwerk.example/2026/11/korvo-pro-16-scharnier" },
	{ 1140, 0, S_TWITTER, EN, SIM_TOPIC_FAULT, M_NEUTRAL, W_KORVO_TW, 0, 3120, NULL,
	  "An update on the Korvo Pro 16 hinge: a batch of hinges from one supplier did not meet "
	  "our spec. Every affected unit will be replaced free of charge, with a prepaid pickup. "
	  "Check your serial: https://korvo.example/pro16-hinge We're sorry." },
	{ 1145, 0, S_RSS, EN, SIM_TOPIC_FAULT, M_NEUTRAL, W_KORVO_BLOG, 0, 0,
	  "An update on Korvo Pro 16 hinges",
	  "Some Korvo Pro 16 units from the first production run have hinges from a batch that did "
	  "not meet our specification. We will replace every affected unit free of charge and "
	  "collect it with a prepaid pickup. Enter your serial number at "
	  "https://korvo.example/pro16-hinge to check your laptop. We are sorry." },
	{ 1160, 0, S_RSS, DE, SIM_TOPIC_FAULT, M_NEUTRAL, W_RECHENWERK, 0, 0,
	  "Korvo tauscht Pro 16 mit defektem Scharnier kostenlos aus",
	  "Korvo hat das Scharnier-Problem beim Pro 16 bestätigt: Eine Charge eines Zulieferers "
	  "erfüllte die Vorgaben nicht. Betroffene Geräte werden kostenlos abgeholt und ersetzt." },
};

#define N_SCRIPT (sizeof script / sizeof script[0])

/* ---- the generator's state ---- */

struct item {
	int64_t t;            /* ms after the start of the day */
	int32_t parent;       /* the item answered, reposted or commented on; -1 */
	uint32_t author;      /* index into gen.au */
	uint32_t seq;         /* order of making, to break ties when sorting */
	uint8_t src, lang, topic, mood, kind;
	uint8_t thread;       /* starts a thread (reddit, hn, forum) */
	uint8_t mega;         /* a scripted thread that gathers its theme */
	uint8_t copy;         /* a deliberate copy: its text may repeat */
	uint8_t sub;          /* reddit: index into subreddits */
	uint8_t scripted;
	char *title, *text, *ext_id, *url;
	uint64_t num;         /* forum: the thread's number */
	int64_t likes, reposts, replies, views;
};

struct gen {
	struct rng r;
	const struct sim_opts *o;
	struct author *au;
	size_t n_au, cap_au;
	size_t pool_off[S_N][2], pool_n[S_N][2];
	uint32_t named_ix[W_NAMED];
	struct item *it;
	size_t n_it, cap_it;
	uint64_t *set;        /* hashes of texts and handles made (0: free) */
	size_t set_cap;
	uint64_t count[S_N];  /* ids issued per source */
	uint64_t forum_threads;
	double cum[4][MINUTES]; /* cumulative intensity of each theme by minute */
	struct buf b, tmp;
};

static const char *const subreddits[] = { "korvo", "laptops", "de_EDV" };

/* Add h to the set; returns 1 when it was new, 0 when it was there. */
static int set_add(struct gen *g, uint64_t h)
{
	size_t mask = g->set_cap - 1, i;

	if (h == 0)
		h = 1;
	for (i = (size_t)(h * 0x9e3779b97f4a7c15ULL >> 20) & mask; g->set[i]; i = (i + 1) & mask)
		if (g->set[i] == h)
			return 0;
	g->set[i] = h;
	return 1;
}

static uint64_t hash_str(uint64_t salt, const char *s)
{
	return horch_fnv1a(horch_fnv1a(HORCH_FNV_BASIS, &salt, sizeof salt), s, strlen(s));
}

static struct item *new_item(struct gen *g)
{
	struct item *it;

	g->it = horch_xgrow(g->it, &g->cap_it, g->n_it + 1, sizeof *g->it);
	it = &g->it[g->n_it];
	memset(it, 0, sizeof *it);
	it->parent = -1;
	it->seq = (uint32_t)g->n_it++;
	it->likes = it->reposts = it->replies = it->views = POST_COUNT_NONE;
	return it;
}

/* ---- text ---- */

/* Append s to b (a buffer without a cap: the generator's own text). */
static void put(struct buf *b, const char *s, size_t len)
{
	int rc = buf_append(b, s, len);

	assert(rc == 0);
	(void)rc;
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void expand(struct gen *g, struct buf *out, const char *t, size_t len, int lang,
		   const char *name, int depth);

/* Expand the slot key into out. */
static void slot_text(struct gen *g, struct buf *out, char key, int lang, const char *name,
		      int depth)
{
	if (key == '$') {
		put(out, "$", 1);
	} else if (key == 'N') {
		puts_(out, name ? name : "there");
	} else if (key == 'Z') {
		static const char alnum[] = "abcdefghijkmnpqrstuvwxyz23456789";
		char code[8];
		int n = 5 + (int)rng_below(&g->r, 3);

		for (int i = 0; i < n; i++)
			code[i] = alnum[rng_below(&g->r, sizeof alnum - 1)];
		put(out, code, (size_t)n);
	} else {
		for (const struct slot *s = slots; s->key; s++) {
			if (s->key == key) {
				expand(g, out, s->text[lang], strlen(s->text[lang]), lang, name,
				       depth + 1);
				return;
			}
		}
		assert(!"unknown slot in a template");
	}
}

/* Expand the template t[0..len) into out: {a|b} picks one alternative,
 * $X inserts slot X.  The templates are this file's own; a malformed one
 * is a bug (the unit test expands every template). */
static void expand(struct gen *g, struct buf *out, const char *t, size_t len, int lang,
		   const char *name, int depth)
{
	size_t i = 0;

	assert(depth < 8);
	while (i < len) {
		if (t[i] == '{') {
			size_t start[24], end[24], j, n = 0;
			int d = 0;

			start[0] = i + 1;
			for (j = i + 1; j < len; j++) {
				if (t[j] == '{') {
					d++;
				} else if (t[j] == '}') {
					if (d == 0)
						break;
					d--;
				} else if (t[j] == '|' && d == 0) {
					assert(n + 1 < 24);
					end[n++] = j;
					start[n] = j + 1;
				}
			}
			assert(j < len);
			end[n++] = j;
			{
				uint32_t k = rng_below(&g->r, (uint32_t)n);

				expand(g, out, t + start[k], end[k] - start[k], lang, name, depth + 1);
			}
			i = j + 1;
		} else if (t[i] == '$') {
			assert(i + 1 < len);
			slot_text(g, out, t[i + 1], lang, name, depth);
			i += 2;
		} else {
			size_t j = i;

			while (j < len && t[j] != '{' && t[j] != '$')
				j++;
			put(out, t + i, j - i);
			i = j;
		}
	}
}

static void expand_str(struct gen *g, struct buf *out, const char *t, int lang, const char *name)
{
	expand(g, out, t, strlen(t), lang, name, 0);
}

/* Swap two letters inside one word of five letters or more (a typo). */
static void add_typo(struct gen *g, char *s)
{
	size_t cand[64], n = 0, i = 0, len = strlen(s);

	while (i < len && n < 64) {
		size_t j = i;

		while (j < len && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')))
			j++;
		if (j - i >= 5 && (j == len || s[j] == ' ' || s[j] == '.' || s[j] == ',') &&
		    (i == 0 || s[i - 1] == ' '))
			cand[n++] = i;
		i = j + 1;
	}
	if (n > 0) {
		size_t w = cand[rng_below(&g->r, (uint32_t)n)], k;
		char c;

		k = w + 1 + rng_below(&g->r, 2);
		c = s[k];
		s[k] = s[k + 1];
		s[k + 1] = c;
	}
}

static void lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static const char *const openers[2][7] = {
	{ "Welp. ", "Update: ", "Hm. ", "So. ", "Ok. ", "Well. ", "Honestly? " },
	{ "Also. ", "Kurzes Update: ", "Hm. ", "Tja. ", "Ehrlich? ", "Also gut. ", "Na ja. " },
};

/* A closing hashtag or emoji for a post of this theme and mood. */
static const char *closer(struct gen *g, int topic, int mood)
{
	if (rng_chance(&g->r, 0.5)) {
		if (topic == SIM_TOPIC_LAUNCH)
			return "{#KorvoPro16|#KorvoLaunch|#KorvoPro16 #tech|#Korvo}";
		if (topic == SIM_TOPIC_FAULT)
			return "$H";
		return "{#Korvo|#laptop|#tech|#Korvo #laptop}";
	}
	switch (mood) {
	case M_PRAISE:
	case M_PURCHASE:
		return "{$E|$E$E|$E $E}";
	case M_COMPLAINT:
		return "{$F|$F$F|$F $F}";
	case M_QUESTION:
	case M_TEASER:
		return "{$Q|🙏}";
	default:
		return "{👀|🤷|😅|$Q}";
	}
}

static int is_social(int src)
{
	return src == S_TWITTER || src == S_MASTODON || src == S_BLUESKY;
}

/* Make the text of a crowd post into g->b: a template of its theme, mood
 * and language (two on the long-form sources), an opener, a mention of
 * @KorvoCares, a closer, lower case, a typo, each now and then. */
static void crowd_body(struct gen *g, const struct item *it)
{
	const struct tset *ts = find_tset(it->topic, it->mood);
	size_t n = ts->n[it->lang];
	uint32_t k = rng_below(&g->r, (uint32_t)n);
	int social = is_social(it->src), mention = 0;

	assert(ts);
	buf_reset(&g->b);
	buf_reset(&g->tmp);
	expand_str(g, &g->tmp, ts->t[it->lang][k], it->lang, NULL);
	if (it->topic == SIM_TOPIC_SPAM) {
		put(&g->b, g->tmp.ptr, g->tmp.len);
		return;
	}
	if (social && (it->mood == M_COMPLAINT || it->mood == M_QUESTION) &&
	    !strstr(g->tmp.ptr, "@KorvoCares") && !strstr(g->tmp.ptr, "@korvo") &&
	    rng_chance(&g->r, 0.3))
		mention = rng_chance(&g->r, 0.5) ? 1 : 2;
	if (rng_chance(&g->r, 0.1))
		puts_(&g->b, openers[it->lang][rng_below(&g->r, 7)]);
	if (mention == 1)
		puts_(&g->b, "@KorvoCares ");
	put(&g->b, g->tmp.ptr, g->tmp.len);
	if (!social && n > 1 && rng_chance(&g->r, 0.5)) {
		uint32_t k2 = (k + 1 + rng_below(&g->r, (uint32_t)n - 1)) % (uint32_t)n;

		put(&g->b, " ", 1);
		expand_str(g, &g->b, ts->t[it->lang][k2], it->lang, NULL);
	}
	if (mention == 2)
		puts_(&g->b, " @KorvoCares");
	if (social && rng_chance(&g->r, 0.35)) {
		put(&g->b, " ", 1);
		expand_str(g, &g->b, closer(g, it->topic, it->mood), it->lang, NULL);
	}
	if (social && it->src != S_MASTODON && rng_chance(&g->r, 0.06))
		lower_ascii(g->b.ptr);
	if (rng_chance(&g->r, 0.07))
		add_typo(g, g->b.ptr);
}

/* Three sentences of a blog article of the item's theme into g->b. */
static void blog_body(struct gen *g, const struct item *it)
{
	const char *const *set;
	size_t n;
	uint32_t pick[3];

	if (it->topic == SIM_TOPIC_LAUNCH) {
		set = it->lang ? blog_launch_de : blog_launch_en;
		n = it->lang ? sizeof blog_launch_de / sizeof *set : sizeof blog_launch_en / sizeof *set;
	} else if (it->topic == SIM_TOPIC_FAULT) {
		set = it->lang ? blog_fault_de : blog_fault_en;
		n = it->lang ? sizeof blog_fault_de / sizeof *set : sizeof blog_fault_en / sizeof *set;
	} else {
		set = it->lang ? blog_chatter_de : blog_chatter_en;
		n = it->lang ? sizeof blog_chatter_de / sizeof *set
			     : sizeof blog_chatter_en / sizeof *set;
	}
	buf_reset(&g->b);
	pick[0] = rng_below(&g->r, (uint32_t)n);
	do
		pick[1] = rng_below(&g->r, (uint32_t)n);
	while (pick[1] == pick[0]);
	do
		pick[2] = rng_below(&g->r, (uint32_t)n);
	while (pick[2] == pick[0] || pick[2] == pick[1]);
	for (int i = 0; i < 3; i++) {
		if (i)
			put(&g->b, " ", 1);
		expand_str(g, &g->b, set[pick[i]], it->lang, NULL);
	}
}

/* Make g->b unique among the texts made so far: returns 1 when it is (and
 * records it), 0 when the caller should draw again.  After many draws a
 * number is appended, so that the loop ends. */
static int unique_text(struct gen *g, int attempt)
{
	if (attempt >= 40) {
		char num[24];

		snprintf(num, sizeof num, " (#%d)", attempt - 39);
		puts_(&g->b, num);
	}
	return set_add(g, hash_str(1, g->b.ptr));
}

/* A title for a thread or an article of the item's theme and language:
 * a question's title for a question, else any other. */
static char *make_title(struct gen *g, const struct item *it)
{
	const char *const *set;
	size_t n;
	int want_q = it->mood == M_QUESTION;

	if (it->topic == SIM_TOPIC_LAUNCH) {
		set = it->lang ? title_launch_de : title_launch_en;
		n = it->lang ? sizeof title_launch_de / sizeof *set : sizeof title_launch_en / sizeof *set;
	} else if (it->topic == SIM_TOPIC_FAULT) {
		set = it->lang ? title_fault_de : title_fault_en;
		n = it->lang ? sizeof title_fault_de / sizeof *set : sizeof title_fault_en / sizeof *set;
	} else {
		set = it->lang ? title_chatter_de : title_chatter_en;
		n = it->lang ? sizeof title_chatter_de / sizeof *set
			     : sizeof title_chatter_en / sizeof *set;
	}
	for (int tries = 0; tries < 64; tries++) {
		const char *t = set[rng_below(&g->r, (uint32_t)n)];
		int q = t[0] == '?';

		if (q != want_q && tries < 63)
			continue;
		buf_reset(&g->tmp);
		expand_str(g, &g->tmp, t + q, it->lang, NULL);
		break;
	}
	return horch_xstrdup(g->tmp.ptr);
}

/* ---- people ---- */

/* Append s to out in ASCII lower case, umlauts spelt out; other
 * characters are dropped (sep 0) or become one sep between words. */
static void ascii_fold(struct buf *out, const char *s, char sep)
{
	static const struct {
		const char *from, *to;
	} tr[] = {
		{ "ä", "ae" }, { "ö", "oe" }, { "ü", "ue" }, { "ß", "ss" }, { "Ä", "ae" },
		{ "Ö", "oe" }, { "Ü", "ue" }, { "ş", "s" }, { "ı", "i" }, { "Ş", "s" },
	};
	int pending = 0, any = 0;

	while (*s) {
		size_t i;

		for (i = 0; i < sizeof tr / sizeof tr[0]; i++) {
			size_t len = strlen(tr[i].from);

			if (strncmp(s, tr[i].from, len) == 0)
				break;
		}
		if (i < sizeof tr / sizeof tr[0] || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z')) {
			if (pending && sep)
				put(out, &sep, 1);
			pending = 0;
			any = 1;
			if (i < sizeof tr / sizeof tr[0]) {
				puts_(out, tr[i].to);
				s += strlen(tr[i].from);
				continue;
			}
			buf_putc(out, *s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
		} else if (any) {
			pending = 1;
		}
		s++;
	}
}

static void handle_part(struct buf *out, const char *s)
{
	ascii_fold(out, s, 0);
}

#define PICK(arr) (arr)[rng_below(&g->r, sizeof(arr) / sizeof((arr)[0]))]

static int64_t draw_followers(struct gen *g, int src)
{
	double u = 1.0 - rng_unit(&g->r);
	double f = 60.0 * pow(u, -1.0 / 1.05) - 50.0;

	if (src == S_MASTODON)
		f /= 3;
	else if (src == S_BLUESKY)
		f /= 2;
	if (f > 2500000)
		f = 2500000;
	return (int64_t)f;
}

static uint32_t add_author(struct gen *g, struct author *a)
{
	g->au = horch_xgrow(g->au, &g->cap_au, g->n_au + 1, sizeof *g->au);
	g->au[g->n_au] = *a;
	return (uint32_t)g->n_au++;
}

/* Make a crowd author of source src and language lang (spammy: a
 * throwaway account of a spam campaign). */
static uint32_t make_author(struct gen *g, int src, int lang, int spammy)
{
	struct author a = { .src = (uint8_t)src, .lang = (uint8_t)lang };
	const char *first = lang ? PICK(first_de) : PICK(first_en);
	const char *last = lang ? PICK(last_de) : PICK(last_en);
	struct buf *h = &g->tmp;
	int style = (int)rng_below(&g->r, 7);
	char num[16];

	buf_reset(h);
	if (spammy) {
		static const char *const spam_a[] = { "korvo_", "deals", "free_", "gift", "promo_",
						      "win_", "tech_offers", "gewinn_" };
		static const char *const spam_b[] = { "deals", "gifts", "free", "promo", "hub",
						      "outlet", "official", "club" };

		puts_(h, PICK(spam_a));
		puts_(h, PICK(spam_b));
		snprintf(num, sizeof num, "%u", 1000 + rng_below(&g->r, 9000));
		puts_(h, num);
	} else if (src == S_RSS) {
		static const char *const blog[] = { "writes", "blog", "notes", "tech", "online" };

		handle_part(h, first);
		puts_(h, PICK(blog));
		puts_(h, ".example");
	} else if (style <= 1 && src != S_REDDIT && src != S_HN) {
		handle_part(h, first);
		if (style == 1)
			put(h, "_", 1);
		handle_part(h, last);
	} else if (style == 2) {
		handle_part(h, first);
		snprintf(num, sizeof num, "%u", rng_below(&g->r, 100));
		puts_(h, num);
	} else if (style == 3 || src == S_REDDIT) {
		puts_(h, PICK(nick_a));
		put(h, "_", 1);
		puts_(h, PICK(nick_b));
		if (rng_chance(&g->r, 0.5)) {
			snprintf(num, sizeof num, "_%u", rng_below(&g->r, 100));
			puts_(h, num);
		}
	} else if (style == 4) {
		puts_(h, PICK(nick_a));
		puts_(h, PICK(nick_b));
		snprintf(num, sizeof num, "%u", rng_below(&g->r, 1000));
		puts_(h, num);
	} else {
		/* The first initial and the last name: "amueller". */
		handle_part(h, first);
		h->len = 1;
		handle_part(h, last);
	}
	if (src == S_TWITTER && h->len > 15)
		h->len = 15;
	h->ptr[h->len] = '\0';
	/* Handles are unique on their source: a taken one gets a number. */
	for (unsigned k = 2; !set_add(g, hash_str(100 + (uint64_t)src, h->ptr)); k++) {
		if (src == S_TWITTER && h->len > 12)
			h->len = 12;
		h->ptr[h->len] = '\0';
		snprintf(num, sizeof num, "%u", k);
		puts_(h, num);
	}
	if (src == S_MASTODON) {
		put(h, "@", 1);
		puts_(h, instances[lang][rng_below(&g->r, 5)]);
	} else if (src == S_BLUESKY) {
		puts_(h, ".bsky.social");
	}
	a.handle = horch_xstrdup(h->ptr);
	if (spammy) {
		a.name = horch_xstrdup(lang ? "Gewinnspiel" : "Korvo Deals");
	} else if (src == S_REDDIT || src == S_HN) {
		a.name = horch_xstrdup(a.handle);
	} else {
		double u = rng_unit(&g->r);

		buf_reset(h);
		puts_(h, first);
		if (u < 0.55 || src == S_RSS) {
			put(h, " ", 1);
			puts_(h, last);
		} else if (u < 0.7) {
			put(h, " ", 1);
			put(h, last, 1);
			put(h, ".", 1);
		}
		a.name = horch_xstrdup(h->ptr);
	}
	a.followers = POST_COUNT_NONE;
	if (is_social(src))
		a.followers = spammy ? (int64_t)rng_below(&g->r, 40) : draw_followers(g, src);
	a.verified = a.followers > 40000 && rng_chance(&g->r, 0.6);
	if (is_social(src) && !spammy && rng_chance(&g->r, 0.7)) {
		int c = rng_pick(&g->r, country_w[lang], 8);

		memcpy(a.country, countries[lang][c], 3);
	}
	return add_author(g, &a);
}

/* A crowd author of source src and language lang: the pool's first
 * authors are the most active. */
static uint32_t pick_author(struct gen *g, int src, int lang)
{
	double u = rng_unit(&g->r);
	size_t n = g->pool_n[src][lang];

	return (uint32_t)(g->pool_off[src][lang] + (size_t)(u * u * (double)n));
}

static void make_people(struct gen *g)
{
	for (int w = 0; w < W_NAMED; w++) {
		struct author a = {
			.handle = horch_xstrdup(named[w].handle),
			.name = horch_xstrdup(named[w].name),
			.followers = named[w].followers,
			.verified = named[w].verified,
			.src = named[w].src,
			.lang = named[w].lang,
		};

		memcpy(a.country, named[w].country, strlen(named[w].country) + 1);
		set_add(g, hash_str(100 + (uint64_t)a.src, a.handle));
		g->named_ix[w] = add_author(g, &a);
	}
	for (int s = 0; s < S_N; s++) {
		double share = (src_mix[0][s] + src_mix[1][s] + src_mix[2][s]) / 3;

		for (int l = 0; l < 2; l++) {
			double p = l ? src_de[s] : 1 - src_de[s];
			size_t n = 8 + (size_t)((double)g->o->n_posts * share * p / 2.5);

			g->pool_off[s][l] = g->n_au;
			g->pool_n[s][l] = n;
			for (size_t i = 0; i < n; i++)
				make_author(g, s, l, 0);
		}
	}
}

/* ---- when ---- */

/* The daily rhythm by hour (UTC), busiest 1.0. */
static const double rhythm_h[24] = {
	0.34, 0.25, 0.18, 0.14, 0.13, 0.16, 0.28, 0.48, 0.68, 0.82, 0.88, 0.93,
	0.97, 1.00, 0.98, 0.96, 0.97, 1.00, 1.00, 0.95, 0.90, 0.80, 0.64, 0.48,
};

static double rhythm(int m)
{
	int h = m / 60;
	double f = (double)(m % 60) / 60.0;

	return rhythm_h[h] * (1 - f) + rhythm_h[(h + 1) % 24] * f;
}

/* The intensity of each theme at minute m. */
static double intensity(int topic, int m)
{
	switch (topic) {
	case SIM_TOPIC_CHATTER:
		return rhythm(m);
	case SIM_TOPIC_LAUNCH:
		/* Teasers from 06:00; the announcement at 09:00, then a wave
		 * that decays over the day above a steady interest. */
		if (m < 360)
			return 0;
		if (m < 540)
			return 0.10 * rhythm(m);
		return 1.7 * exp(-(m - 540) / 160.0) + 0.30 * rhythm(m);
	case SIM_TOPIC_FAULT:
		/* Nothing before 14:00; a sharp rise to a plateau from 14:30
		 * to 16:15, then a decay above a low tail. */
		if (m < 840)
			return 0;
		if (m < 870)
			return exp((m - 870) / 7.0);
		if (m < 975)
			return 1.0;
		return exp(-(m - 975) / 110.0) + 0.08 * rhythm(m);
	default:
		/* Job ads and promotions: a trickle that follows the day a
		 * little. */
		return 0.4 + 0.6 * rhythm(m);
	}
}

static void build_curves(struct gen *g)
{
	for (int topic = 0; topic < 4; topic++) {
		double sum = 0;

		for (int m = 0; m < MINUTES; m++) {
			sum += intensity(topic, m);
			g->cum[topic][m] = sum;
		}
	}
}

/* A time (ms after the start, whole seconds) drawn from the theme's curve. */
static int64_t draw_time(struct gen *g, int topic)
{
	const double *cum = g->cum[topic];
	double x = rng_unit(&g->r) * cum[MINUTES - 1];
	int lo = 0, hi = MINUTES - 1;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo * MIN_MS + (int64_t)rng_below(&g->r, 60) * 1000;
}

/* ---- ids, links and engagement ---- */

static void base36(char *out, uint64_t v)
{
	char tmp[16];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
		v /= 36;
	} while (v);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

/* Append the slug of a title to out: ASCII lower case, words joined by
 * sep, at most 60 bytes. */
static void slug(struct buf *out, const char *title, char sep)
{
	size_t start = out->len;

	ascii_fold(out, title, sep);
	if (out->len - start > 60)
		out->len = start + 60;
	while (out->len > start && out->ptr[out->len - 1] == sep)
		out->len--;
	out->ptr[out->len] = '\0';
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void civil(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

#define TWITTER_EPOCH 1288834974657LL

/* Give the item its external id and URL in the form of its source.  Ids
 * are unique by construction: each carries the source's running count. */
static void assign_id(struct gen *g, struct item *it)
{
	const struct author *a = &g->au[it->author];
	uint64_t c = g->count[it->src]++;
	int64_t ms = g->o->start + it->t;
	struct buf *u = &g->tmp;
	char id[96] = "", s36[16];

	buf_reset(u);
	switch (it->src) {
	case S_TWITTER: {
		uint64_t x = ms > TWITTER_EPOCH ? (uint64_t)(ms - TWITTER_EPOCH) : 0;

		snprintf(id, sizeof id, "%llu", (unsigned long long)((x << 22) | (c & 0x3fffff)));
		buf_printf(u, "https://twitter.com/%s/status/%s", a->handle, id);
		break;
	}
	case S_MASTODON: {
		const char *at = strchr(a->handle, '@');

		snprintf(id, sizeof id, "%llu",
			 (unsigned long long)(((uint64_t)ms << 16) | (c & 0xffff)));
		buf_printf(u, "https://%s/@%.*s/%s", at ? at + 1 : "mastodon.social",
			   (int)(at ? at - a->handle : (long)strlen(a->handle)), a->handle, id);
		break;
	}
	case S_BLUESKY: {
		static const char b32[] = "234567abcdefghijklmnopqrstuvwxyz";
		uint64_t us = (uint64_t)ms * 1000 + c % 1000;
		uint64_t v = (us << 10) | ((c / 1000) & 1023), hh = hash_str(7, a->handle);
		char tid[14], did[25];

		for (int i = 12; i >= 0; i--, v >>= 5)
			tid[i] = b32[v & 31];
		tid[13] = '\0';
		for (int i = 0; i < 24; i++) {
			did[i] = b32[hh & 31];
			hh = (hh >> 5) | ((uint64_t)(i + 1) * 0x9e3779b97f4a7c15ULL << 40);
		}
		did[24] = '\0';
		snprintf(id, sizeof id, "at://did:plc:%s/app.bsky.feed.post/%s", did, tid);
		buf_printf(u, "https://bsky.app/profile/%s/post/%s", a->handle, tid);
		break;
	}
	case S_REDDIT:
		if (it->parent < 0) {
			base36(s36, 1300000000ULL + c * 37 + rng_below(&g->r, 37));
			snprintf(id, sizeof id, "t3_%s", s36);
			buf_printf(u, "https://www.reddit.com/r/%s/comments/%s/", subreddits[it->sub],
				   s36);
			slug(u, it->title ? it->title : "post", '_');
			put(u, "/", 1);
		} else {
			const struct item *th = &g->it[it->parent];

			base36(s36, 60000000000ULL + c * 41 + rng_below(&g->r, 41));
			snprintf(id, sizeof id, "t1_%s", s36);
			buf_printf(u, "https://www.reddit.com/r/%s/comments/%s/comment/%s/",
				   subreddits[th->sub], th->ext_id + 3, s36);
		}
		break;
	case S_HN: {
		unsigned long long n = 45810000ULL + c * 5 + rng_below(&g->r, 5);

		snprintf(id, sizeof id, "%llu", n);
		buf_printf(u, "https://news.ycombinator.com/item?id=%llu", n);
		break;
	}
	case S_RSS: {
		int y, mo, d;

		civil(ms / 86400000, &y, &mo, &d);
		buf_printf(u, "https://%s/%04d/%02d/", a->handle, y, mo);
		slug(u, it->title ? it->title : "post", '-');
		buf_printf(u, "-%llu", 80000ULL + c * 7 + rng_below(&g->r, 7));
		break;
	}
	default: { /* S_FORUM */
		unsigned long long n = 512000ULL + c * 3 + rng_below(&g->r, 3);
		const struct item *th = it->parent >= 0 ? &g->it[it->parent] : it;

		if (it->parent < 0)
			it->num = 20400 + g->forum_threads++;
		snprintf(id, sizeof id, "%llu", n);
		buf_printf(u, "https://%s/t/%llu/#p%llu",
			   th->lang == DE ? "notebookfreunde.example" : "community.korvo.example",
			   (unsigned long long)th->num, n);
		break;
	}
	}
	it->url = horch_xstrdup(u->ptr);
	it->ext_id = horch_xstrdup(it->src == S_RSS ? u->ptr : id);
}

/* Likes, reposts, replies and views of an original post. */
static void engage(struct gen *g, struct item *it, int64_t scripted_likes)
{
	const struct author *a = &g->au[it->author];
	double base = a->followers > 0 ? (double)a->followers : 150.0;
	double likes;

	if (it->src == S_RSS)
		return;
	if (scripted_likes > 0)
		likes = (double)scripted_likes;
	else if (it->topic == SIM_TOPIC_SPAM)
		likes = rng_below(&g->r, 3);
	else if (it->src == S_REDDIT || it->src == S_HN || it->src == S_FORUM)
		likes = (it->thread ? 12.0 : 2.0) * exp(1.1 * rng_normal(&g->r));
	else
		likes = (0.4 + sqrt(base) / 7.0) * exp(0.9 * rng_normal(&g->r));
	if (it->topic == SIM_TOPIC_FAULT && scripted_likes <= 0)
		likes *= 1.6;
	it->likes = (int64_t)likes;
	it->replies = (int64_t)(likes * (0.02 + 0.28 * rng_unit(&g->r)));
	if (it->src == S_FORUM) {
		it->likes = POST_COUNT_NONE;
		return;
	}
	if (is_social(it->src))
		it->reposts = (int64_t)(likes * 0.25 * rng_unit(&g->r));
	if (it->src == S_TWITTER)
		it->views = (int64_t)(likes * (40 + 80 * rng_unit(&g->r)) +
				      base * (0.05 + 0.25 * rng_unit(&g->r)));
}

/* ---- the passes ---- */

/* Pass 1: the scripted events. */
static void make_script(struct gen *g)
{
	for (size_t i = 0; i < N_SCRIPT; i++) {
		const struct script *s = &script[i];
		struct item *it = new_item(g);

		it->t = s->minute * MIN_MS + s->second * 1000LL;
		it->src = s->src;
		it->lang = s->lang;
		it->topic = s->topic;
		it->mood = s->mood;
		it->thread = s->thread;
		it->mega = s->thread;
		it->scripted = 1;
		it->author = s->who < W_NAMED ? g->named_ix[s->who]
					      : pick_author(g, s->src, s->who == W_USER_DE);
		if (s->src == S_REDDIT)
			it->sub = s->lang == DE ? 2 : 0;
		it->title = horch_xstrdup(s->title);
		it->text = horch_xstrdup(s->text);
		if (s->text)
			set_add(g, hash_str(1, s->text));
		engage(g, it, s->likes);
	}
}

/* Pass 2: one crowd post of the theme. */
static void make_crowd(struct gen *g, int topic)
{
	struct item *it = new_item(g);
	int m;

	it->t = draw_time(g, topic);
	m = (int)(it->t / MIN_MS);
	it->topic = (uint8_t)topic;
	it->src = (uint8_t)rng_pick(&g->r, src_mix[topic], S_N);
	if (topic == SIM_TOPIC_SPAM)
		it->lang = rng_chance(&g->r, 0.15) ? DE : EN;
	else
		it->lang = rng_chance(&g->r, src_de[it->src]) ? DE : EN;
	if (topic == SIM_TOPIC_LAUNCH && m < 540)
		it->mood = M_TEASER;
	else
		it->mood = (uint8_t)rng_pick(&g->r, mood_mix[topic], M_N);
	if (topic == SIM_TOPIC_SPAM) {
		/* Job ads and promotions come from throwaway accounts. */
		it->author = make_author(g, it->src, it->lang, 1);
	} else if (it->src == S_RSS && topic != SIM_TOPIC_CHATTER && rng_chance(&g->r, 0.3)) {
		static const int sites[2][2] = { { W_TECHPULSE, W_GADGETWIRE },
						 { W_LAPTOPWELT, W_RECHENWERK } };

		it->author = g->named_ix[sites[it->lang][rng_below(&g->r, 2)]];
	} else {
		it->author = pick_author(g, it->src, it->lang);
	}
	for (int attempt = 0;; attempt++) {
		if (it->src == S_RSS)
			blog_body(g, it);
		else
			crowd_body(g, it);
		if (unique_text(g, attempt))
			break;
	}
	it->text = horch_xstrdup(g->b.ptr);
	if (it->src == S_RSS) {
		it->mood = M_NEUTRAL;
		it->title = make_title(g, it);
	}
	engage(g, it, 0);
}

/* Pass 2: the copy-paste campaigns, n posts in all: three bursts of 25
 * minutes, each post from a fresh throwaway account, the same text with
 * its own tracking code, some exact copies of the one before. */
static void make_campaigns(struct gen *g, size_t n)
{
	static const int at[3] = { 605, 930, 1245 };  /* 10:05, 15:30, 20:45 */
	static const uint8_t lang[3] = { EN, DE, EN };

	for (int k = 0; k < 3; k++) {
		size_t count = n / 3 + (k == 2 ? n % 3 : 0);
		char *prev = NULL;

		for (size_t i = 0; i < count; i++) {
			struct item *it = new_item(g);

			it->t = (at[k] + (int64_t)rng_below(&g->r, 25)) * MIN_MS +
				(int64_t)rng_below(&g->r, 60) * 1000;
			it->src = rng_chance(&g->r, 0.75) ? S_TWITTER : S_BLUESKY;
			it->lang = lang[k];
			it->topic = SIM_TOPIC_SPAM;
			it->mood = M_CAMPAIGN;
			it->copy = 1;
			it->author = make_author(g, it->src, it->lang, 1);
			if (prev && rng_chance(&g->r, 0.25)) {
				it->text = horch_xstrdup(prev);
			} else {
				buf_reset(&g->b);
				if (rng_chance(&g->r, 0.3))
					puts_(&g->b, rng_chance(&g->r, 0.5) ? "🔥 " : "‼️ ");
				expand_str(g, &g->b, campaign_text[k], it->lang, NULL);
				it->text = horch_xstrdup(g->b.ptr);
			}
			prev = it->text;
			engage(g, it, 0);
		}
	}
}

static int cmp_item(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Pass 3: threads on reddit, hn and the forum, in time order.  Then every
 * item so far gets its id (a comment's URL needs its thread's). */
static void make_threads(struct gen *g)
{
	uint32_t *threads[S_N] = { NULL };
	size_t n_threads[S_N] = { 0 }, cap[S_N] = { 0 };
	uint32_t mega_of[S_N][4][2];

	memset(mega_of, 0xff, sizeof mega_of);

	qsort(g->it, g->n_it, sizeof *g->it, cmp_item);
	for (size_t i = 0; i < g->n_it; i++) {
		struct item *it = &g->it[i];
		int s = it->src;
		double p_start = s == S_HN ? 0.08 : s == S_REDDIT ? 0.3 : 0.28;
		uint32_t cand[8], mega = UINT32_MAX;
		size_t n_cand = 0;

		if (s != S_REDDIT && s != S_HN && s != S_FORUM)
			continue;
		if (!it->thread && !rng_chance(&g->r, p_start)) {
			/* A comment: on a recent thread of its theme and
			 * language, often the one that gathers them. */
			for (size_t k = n_threads[s]; k-- > 0 && n_cand < 8;) {
				const struct item *th = &g->it[threads[s][k]];
				int fits = it->topic == SIM_TOPIC_SPAM ||
					   (th->topic == it->topic && th->lang == it->lang);

				if (it->t - th->t > 8 * 60 * MIN_MS)
					break;
				if (fits && th->t < it->t)
					cand[n_cand++] = threads[s][k];
			}
			if (it->topic != SIM_TOPIC_SPAM)
				mega = mega_of[s][it->topic][it->lang];
			if (mega != UINT32_MAX && g->it[mega].t >= it->t)
				mega = UINT32_MAX;
			if (mega != UINT32_MAX && rng_chance(&g->r, 0.45)) {
				it->parent = (int32_t)mega;
			} else if (n_cand > 0) {
				it->parent = (int32_t)cand[rng_below(&g->r, (uint32_t)n_cand)];
			} else if (mega != UINT32_MAX) {
				it->parent = (int32_t)mega;
			}
		}
		if (it->parent >= 0) {
			it->kind = POST_KIND_COMMENT;
			continue;
		}
		it->thread = 1;
		if (!it->title) {
			if (it->topic == SIM_TOPIC_SPAM) {
				buf_reset(&g->tmp);
				expand_str(g, &g->tmp, "{🔥 Free Korvo Pro 16|Korvo deals|Make money "
					   "from home|Jobs: laptop repair|Gratis Korvo Pro 16}",
					   it->lang, NULL);
				it->title = horch_xstrdup(g->tmp.ptr);
			} else {
				it->title = make_title(g, it);
			}
		}
		if (s == S_REDDIT && !it->scripted)
			it->sub = it->lang == DE ? 2 : rng_chance(&g->r, 0.65) ? 0 : 1;
		if (it->mega)
			mega_of[s][it->topic][it->lang] = (uint32_t)i;
		threads[s] = horch_xgrow(threads[s], &cap[s], n_threads[s] + 1, sizeof *threads[s]);
		threads[s][n_threads[s]++] = (uint32_t)i;
	}
	for (int s = 0; s < S_N; s++)
		free(threads[s]);
	for (size_t i = 0; i < g->n_it; i++)
		assign_id(g, &g->it[i]);
}

/* The first name of an author, for "Hi Anna": the first word of the
 * display name, or the handle. */
static void first_name(struct buf *out, const struct author *a)
{
	const char *n = a->name && strcmp(a->name, a->handle) != 0 ? a->name : a->handle;
	size_t len = strcspn(n, " @.");

	buf_reset(out);
	put(out, n, len);
}

/* Pass 4: @KorvoCares answers up to n complaints and questions. */
static void make_care(struct gen *g, size_t n)
{
	size_t n_orig = g->n_it, n_cand = 0, made = 0;
	uint32_t *cand = horch_xmalloc((n_orig + 1) * sizeof *cand);
	struct buf name;

	buf_init(&name, BUF_NOLIMIT);
	for (size_t i = 0; i < n_orig; i++) {
		const struct item *it = &g->it[i];
		uint32_t au = it->author;

		if ((it->mood == M_COMPLAINT || it->mood == M_QUESTION) &&
		    it->topic <= SIM_TOPIC_FAULT && care_of[it->src] != W_NAMED &&
		    !(au >= g->named_ix[W_KORVO_TW] && au <= g->named_ix[W_CARE_FO]))
			cand[n_cand++] = (uint32_t)i;
	}
	for (size_t i = n_cand; i > 1; i--) {
		uint32_t j = rng_below(&g->r, (uint32_t)i), tmp = cand[i - 1];

		cand[i - 1] = cand[j];
		cand[j] = tmp;
	}
	for (size_t k = 0; k < n_cand && made < n; k++) {
		uint32_t pi = cand[k];
		const struct item *p = &g->it[pi];
		double accept = p->topic == SIM_TOPIC_FAULT ? 0.8 : 0.5;
		int64_t delay, t;
		const char *const *set;
		size_t n_set;
		struct item *it;

		if (!rng_chance(&g->r, accept))
			continue;
		if (p->topic == SIM_TOPIC_FAULT)
			delay = p->t < 990 * MIN_MS ? rng_range(&g->r, 12, 55) : rng_range(&g->r, 4, 30);
		else if (p->topic == SIM_TOPIC_LAUNCH)
			delay = rng_range(&g->r, 8, 90);
		else
			delay = rng_range(&g->r, 15, 200);
		if (p->t < 7 * 60 * MIN_MS)
			delay += rng_range(&g->r, 60, 180);  /* the night shift is small */
		t = p->t + delay * MIN_MS + (int64_t)rng_below(&g->r, 60) * 1000;
		if (t >= SIM_DAY_MS)
			continue;
		if (p->topic == SIM_TOPIC_FAULT) {
			set = p->lang ? care_fault_de : care_fault_en;
			n_set = p->lang ? sizeof care_fault_de / sizeof *set : sizeof care_fault_en / sizeof *set;
		} else if (p->topic == SIM_TOPIC_LAUNCH && p->mood == M_QUESTION) {
			set = p->lang ? care_launch_de : care_launch_en;
			n_set = p->lang ? sizeof care_launch_de / sizeof *set : sizeof care_launch_en / sizeof *set;
		} else if (p->mood == M_QUESTION) {
			set = p->lang ? care_howto_de : care_howto_en;
			n_set = p->lang ? sizeof care_howto_de / sizeof *set : sizeof care_howto_en / sizeof *set;
		} else {
			set = p->lang ? care_sorry_de : care_sorry_en;
			n_set = p->lang ? sizeof care_sorry_de / sizeof *set : sizeof care_sorry_en / sizeof *set;
		}
		first_name(&name, &g->au[p->author]);
		it = new_item(g);
		p = &g->it[pi];  /* new_item() may have moved the array */
		it->t = t;
		it->src = p->src;
		it->lang = p->lang;
		it->topic = SIM_TOPIC_CARE;
		it->mood = M_NEUTRAL;
		it->kind = POST_KIND_REPLY;
		it->parent = (int32_t)pi;
		it->author = g->named_ix[care_of[p->src]];
		for (int attempt = 0;; attempt++) {
			buf_reset(&g->b);
			if (is_social(p->src)) {
				put(&g->b, "@", 1);
				puts_(&g->b, g->au[p->author].handle);
				put(&g->b, " ", 1);
			}
			expand_str(g, &g->b, set[rng_below(&g->r, (uint32_t)n_set)], p->lang, name.ptr);
			if (unique_text(g, attempt))
				break;
		}
		it->text = horch_xstrdup(g->b.ptr);
		it->likes = rng_below(&g->r, 12);
		if (p->src == S_FORUM)
			it->likes = POST_COUNT_NONE;
		assign_id(g, it);
		made++;
	}
	buf_cleanup(&name);
	free(cand);
}

/* Pass 5: reposts of popular posts on twitter, mastodon and bluesky, n of
 * them, each from another author of the post's source and language. */
static void make_reposts(struct gen *g, size_t n)
{
	size_t n_orig = g->n_it, n_cand = 0;
	uint32_t *cand = horch_xmalloc((n_orig + 1) * sizeof *cand);
	double *cum = horch_xmalloc((n_orig + 1) * sizeof *cum), sum = 0;

	for (size_t i = 0; i < n_orig; i++) {
		const struct item *it = &g->it[i];

		if (is_social(it->src) && it->kind == POST_KIND_POST && it->topic != SIM_TOPIC_SPAM &&
		    it->t < SIM_DAY_MS - 2 * MIN_MS) {
			sum += pow((double)(it->likes > 0 ? it->likes : 0) + 1.0, 0.9);
			cum[n_cand] = sum;
			cand[n_cand++] = (uint32_t)i;
		}
	}
	for (size_t k = 0; k < n && n_cand > 0; k++) {
		for (int attempt = 0; attempt < 50; attempt++) {
			double x = rng_unit(&g->r) * sum;
			size_t lo = 0, hi = n_cand - 1;
			uint32_t pi;
			int64_t t;
			struct item *it;
			const struct item *p;

			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (cum[mid] > x)
					hi = mid;
				else
					lo = mid + 1;
			}
			pi = cand[lo];
			t = g->it[pi].t + MIN_MS - (int64_t)(log(1.0 - rng_unit(&g->r)) * 50.0 * MIN_MS);
			t -= t % 1000;
			if (t >= SIM_DAY_MS)
				continue;
			it = new_item(g);
			p = &g->it[pi];
			it->t = t;
			it->src = p->src;
			it->lang = p->lang;
			it->topic = p->topic;
			it->mood = p->mood;
			it->kind = POST_KIND_REPOST;
			it->parent = (int32_t)pi;
			it->copy = 1;
			do
				it->author = pick_author(g, p->src, p->lang);
			while (it->author == p->author);
			buf_reset(&g->b);
			if (p->src == S_TWITTER)
				buf_printf(&g->b, "RT @%s: ", g->au[p->author].handle);
			puts_(&g->b, p->text);
			it->text = horch_xstrdup(g->b.ptr);
			assign_id(g, it);
			break;
		}
	}
	free(cum);
	free(cand);
}

/* ---- the day ---- */

static char *take(char **s)
{
	char *v = *s;

	*s = NULL;
	return v;
}

struct order {
	int64_t t;
	const char *src, *ext_id;
	size_t i;
};

static int cmp_order(const void *pa, const void *pb)
{
	const struct order *a = pa, *b = pb;
	int c;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if ((c = strcmp(a->src, b->src)) != 0)
		return c;
	return strcmp(a->ext_id, b->ext_id);
}

/* Turn the items into posts, sorted by time, source and id. */
static void make_posts(struct gen *g, struct sim_day *out)
{
	struct order *ord = horch_xmalloc((g->n_it + 1) * sizeof *ord);

	for (size_t i = 0; i < g->n_it; i++) {
		ord[i].t = g->it[i].t;
		ord[i].src = src_names[g->it[i].src];
		ord[i].ext_id = g->it[i].ext_id;
		ord[i].i = i;
	}
	qsort(ord, g->n_it, sizeof *ord, cmp_order);
	out->posts = horch_xcalloc(g->n_it + 1, sizeof *out->posts);
	out->topic = horch_xcalloc(g->n_it + 1, 1);
	out->n = g->n_it;
	for (size_t k = 0; k < g->n_it; k++) {
		struct item *it = &g->it[ord[k].i];
		const struct author *a = &g->au[it->author];
		struct post *p = &out->posts[k];

		/* Ids are unique by construction; a repeat would be a bug. */
		{
			int fresh = set_add(g, hash_str(200 + (uint64_t)it->src, it->ext_id));

			assert(fresh);
			(void)fresh;
		}
		post_init(p);
		p->source = horch_xstrdup(src_names[it->src]);
		p->external_id = horch_xstrdup(it->ext_id);
		p->url = take(&it->url);
		p->author = horch_xstrdup(a->handle);
		p->author_name = horch_xstrdup(a->name);
		p->author_followers = a->followers;
		p->author_verified = a->verified;
		p->created_at = g->o->start + it->t;
		p->title = take(&it->title);
		p->text = take(&it->text);
		p->lang = horch_xstrdup(it->lang ? "de" : "en");
		if (it->parent >= 0)
			p->parent = horch_xstrdup(g->it[it->parent].ext_id);
		p->kind = it->kind;
		p->likes = it->likes;
		p->reposts = it->reposts;
		p->replies = it->replies;
		p->views = it->views;
		if (a->country[0] && (is_social(it->src) || it->src == S_RSS))
			p->country = horch_xstrdup(a->country);
		out->topic[k] = it->topic;
	}
	free(ord);
}

static void gen_cleanup(struct gen *g)
{
	for (size_t i = 0; i < g->n_it; i++) {
		free(g->it[i].title);
		free(g->it[i].text);
		free(g->it[i].ext_id);
		free(g->it[i].url);
	}
	free(g->it);
	for (size_t i = 0; i < g->n_au; i++) {
		free(g->au[i].handle);
		free(g->au[i].name);
	}
	free(g->au);
	free(g->set);
	buf_cleanup(&g->b);
	buf_cleanup(&g->tmp);
}

/* The last day whose 24 hours end by 9999-12-31T23:59:59.999Z. */
#define SIM_START_MAX (253402300800000LL - SIM_DAY_MS)

int sim_generate(const struct sim_opts *opts, struct sim_day *out, struct horch_err *err)
{
	struct gen *g;
	size_t n, n_replies, n_reposts, n_orig, crowd, n_chat, n_launch, n_fault, n_spam, n_camp;
	size_t k;

	memset(out, 0, sizeof *out);
	for (k = 0; sim_scenario_names[k]; k++)
		if (opts->scenario && strcmp(opts->scenario, sim_scenario_names[k]) == 0)
			break;
	if (!sim_scenario_names[k])
		return horch_err_set(err, HORCH_EINVAL, "unknown scenario '%s' (scenarios: launch)",
				     opts->scenario ? opts->scenario : "");
	if (opts->n_posts < SIM_POSTS_MIN || opts->n_posts > SIM_POSTS_MAX)
		return horch_err_set(err, HORCH_EINVAL, "%zu posts: expected %d to %d", opts->n_posts,
				     SIM_POSTS_MIN, SIM_POSTS_MAX);
	if (opts->start < 0 || opts->start > SIM_START_MAX)
		return horch_err_set(err, HORCH_EINVAL, "the day must start between 1970-01-01 "
				     "and 9999-12-30");

	g = horch_xcalloc(1, sizeof *g);
	g->o = opts;
	rng_seed(&g->r, opts->seed);
	buf_init(&g->b, BUF_NOLIMIT);
	buf_init(&g->tmp, BUF_NOLIMIT);
	n = opts->n_posts;
	/* Room for every text, handle and id at a quarter load. */
	for (g->set_cap = 1024; g->set_cap < 12 * n; g->set_cap *= 2)
		;
	g->set = horch_xcalloc(g->set_cap, sizeof *g->set);
	build_curves(g);
	make_people(g);

	n_replies = (n * 35 + 500) / 1000;
	n_reposts = (n * 50 + 500) / 1000;
	n_orig = n - n_replies - n_reposts;
	crowd = n_orig - N_SCRIPT;
	n_chat = crowd * 40 / 100;
	n_launch = crowd * 26 / 100;
	n_fault = crowd * 24 / 100;
	n_spam = crowd - n_chat - n_launch - n_fault;
	n_camp = n_spam * 55 / 100;

	make_script(g);
	for (k = 0; k < n_chat; k++)
		make_crowd(g, SIM_TOPIC_CHATTER);
	for (k = 0; k < n_launch; k++)
		make_crowd(g, SIM_TOPIC_LAUNCH);
	for (k = 0; k < n_fault; k++)
		make_crowd(g, SIM_TOPIC_FAULT);
	for (k = 0; k < n_spam - n_camp; k++)
		make_crowd(g, SIM_TOPIC_SPAM);
	make_campaigns(g, n_camp);
	make_threads(g);
	make_care(g, n_replies);
	/* Reposts fill the day: fewer answers than planned make more reposts. */
	make_reposts(g, n - g->n_it);
	make_posts(g, out);
	gen_cleanup(g);
	free(g);
	return 0;
}

void sim_day_cleanup(struct sim_day *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		post_cleanup(&d->posts[i]);
	free(d->posts);
	free(d->topic);
	memset(d, 0, sizeof *d);
}
