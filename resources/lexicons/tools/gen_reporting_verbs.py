#!/usr/bin/env python3
"""Generate the Vigie reporting-verb lexicons.

Writes (relative to this script):
    ../reporting-verbs.fr.tsv
    ../reporting-verbs.en.tsv

The lemma inventories, classes and complement frames below were compiled by
hand by the Vigie developers from the reporting-verb inventories documented in
the literature (verb classes of the Gender Gap Tracker / Radar de Parité quote
extractors, the "verbes introducteurs de discours rapporté" lists of French
grammar references such as Grevisse, *Le Bon Usage*, and the PolNeAR / PARC
attribution-cue guidelines for English).  The inflected forms are produced by
the small rule-based conjugators in this file, so the TSV files can always be
regenerated with:

    python3 resources/lexicons/tools/gen_reporting_verbs.py

Only the Python standard library is used.

Conventions of the generated `forms` column
-------------------------------------------
French:
  * infinitive; present indicative (all six persons); imparfait 1sg/3sg/3pl;
    passé simple 3sg/3pl; futur 1sg/3sg/3pl; conditionnel 1sg/3sg/3pl;
    subjonctif présent 3sg/3pl; past participle m.sg/f.sg/m.pl/f.pl (only m.sg
    for verbs flagged `pp_inv`, e.g. intransitives and `faire savoir`);
    present participle;
  * inverted incise forms for every 3rd-person simple tense listed above
    (`dit-il`, `dit-elle`, `dit-on`, `disent-ils`, `disent-elles`,
    `explique-t-il`, `expliqua-t-il`, `expliquera-t-on`, ...), with the
    euphonic `-t-` inserted only after a vowel-final verb form.  They are
    generated only for lemmas whose frames contain `inv`;
  * 1990 spelling variants where they are common in the press
    (`reconnait`, `enchaine`, `répètera`, `argüe`);
  * multiword lemmas list forms of the whole phrase (`fait savoir`,
    `fait-il savoir`, `mis en garde`);
  * pronominal lemmas (`se féliciter`, `s'inquiéter`, `s'en prendre`) list the
    finite forms with their reflexive clitic (`se félicite`, `me félicite`,
    `nous félicitons`, `s'inquiète`, `s'en prend`), the inverted forms
    (`se félicite-t-il`) and the BARE past participles (`félicité`,
    `inquiétée`), because in compound tenses the clitic precedes the
    auxiliary (`s'est félicité`), which the engine handles.
English:
  * base, 3sg, past, past participle (if different), -ing; multiword
    (phrasal) lemmas inflect their first word (`points out`); lemmas flagged
    `nounlike` leave out the base and 3sg forms, mostly nouns in news
    (`the state`, `a post`, `his comments`); evidential adverbs flagged
    `adverb` (`reportedly`) have no other form.
"""

import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.normpath(os.path.join(HERE, ".."))
SCRIPT_REL = "resources/lexicons/tools/gen_reporting_verbs.py"

CLASSES = {
    "speech", "assert", "explain", "announce", "opinion", "ask", "deny",
    "criticise", "praise", "warn", "admit", "add", "write", "promise", "call",
    "report", "other", "evidential",
}
FRAMES = ["que", "inf", "np", "de", "a", "inv", "colon", "about", "raise"]

# --------------------------------------------------------------------------
# French lexicon: lemma | class | frames | flags
#   flags: pp_inv        past participle invariable (only m.sg listed)
#          double        -eler/-eter verb doubling its consonant (appelle)
#          double+grave  both spellings (grommelle / grommèle)
#          alt=INF       also merge the forms of the variant spelling INF
#          extra=a;b     extra hand-written forms
# --------------------------------------------------------------------------
FR_TABLE = """
dire | speech | que,inf,np,a,inv,colon | extra=dis-je
déclarer | speech | que,inf,np,inv,colon |
s'exprimer | speech | inv,colon |
parler | other | de,inv | pp_inv
confier | speech | que,np,a,inv,colon |
se confier | speech | a,inv |
s'épancher | speech | inv |
lancer | speech | np,a,inv,colon |
lâcher | speech | np,a,inv,colon |
glisser | speech | que,np,a,inv,colon |
souffler | speech | que,np,a,inv |
murmurer | speech | que,np,a,inv |
chuchoter | speech | que,np,a,inv |
susurrer | speech | np,a,inv |
crier | speech | que,np,a,inv,colon |
hurler | speech | que,np,a,inv,colon |
vociférer | speech | np,inv |
s'écrier | speech | que,inv,colon |
s'exclamer | speech | inv,colon |
soupirer | speech | que,np,inv |
bafouiller | speech | np,inv |
balbutier | speech | np,inv |
bredouiller | speech | np,inv |
bégayer | speech | np,inv |
grommeler | speech | np,inv | double+grave
répondre | speech | que,np,a,inv,colon |
rétorquer | speech | que,np,a,inv,colon |
répliquer | speech | que,np,a,inv,colon |
riposter | speech | que,a,inv | pp_inv
affirmer | assert | que,inf,np,inv,colon |
assurer | assert | que,inf,np,a,inv,colon |
rassurer | assert | que,np,inv |
soutenir | assert | que,inf,np,inv |
maintenir | assert | que,inf,np,inv |
prétendre | assert | que,inf,np,inv |
alléguer | assert | que,np,inv |
avancer | assert | que,np,inv |
arguer | assert | que,de,np,inv | alt=argüer;extra=arguë,arguënt,arguëra,arguëront,arguërait,arguëraient
argumenter | assert | que,inv | pp_inv
clamer | assert | que,np,inv |
certifier | assert | que,np,a,inv |
attester | assert | que,np,de,inv |
insister | assert | que,inv,colon | pp_inv
marteler | assert | que,np,inv,colon |
répéter | assert | que,np,a,inv,colon |
redire | assert | que,np,a,inv |
réitérer | assert | que,np,inv |
réaffirmer | assert | que,np,inv |
asséner | assert | que,np,inv | alt=assener
trancher | assert | que,inv,colon |
revendiquer | assert | np,inf,inv |
faire valoir | assert | que,np,inv | pp_inv
mettre en avant | assert | que,np,inv |
mettre l'accent | assert | np,inv |
défendre | assert | np,inv |
souligner | assert | que,np,inv,colon |
appuyer | assert | inv |
confirmer | assert | que,np,a,inv |
se vanter | assert | de,inf,inv |
expliquer | explain | que,np,a,inv,colon |
s'expliquer | explain | inv |
préciser | explain | que,np,inv,colon |
détailler | explain | np,inv,colon |
décrire | explain | np,inv |
décrypter | explain | np,inv |
développer | explain | np,inv |
analyser | explain | que,np,inv |
expliciter | explain | np,inv |
clarifier | explain | np,inv |
commenter | explain | np,inv |
résumer | explain | np,inv,colon |
justifier | explain | np,inv |
se justifier | explain | inv |
nuancer | explain | np,inv |
tempérer | explain | np,inv |
corriger | explain | np,inv |
rectifier | explain | np,inv |
annoncer | announce | que,inf,np,a,inv,colon |
proclamer | announce | que,np,inv |
faire savoir | announce | que,np,a,inv | pp_inv
faire part | announce | de,a,inv | pp_inv
communiquer | announce | que,np,a,inv |
notifier | announce | que,np,a |
révéler | announce | que,np,inv |
dévoiler | announce | que,np,inv |
divulguer | announce | np,inv |
estimer | opinion | que,inf,np,inv |
exclure | opinion | que,de,np |
souhaiter | opinion | que,inf,np |
juger | opinion | que,inf,np,inv |
considérer | opinion | que,np,inv |
penser | opinion | que,inf,inv |
croire | opinion | que,inf,inv |
trouver | opinion | que,np,inv |
se dire | opinion | que,inf,inv |
se prononcer | opinion | inv |
qualifier | opinion | np,de |
évaluer | opinion | np |
chiffrer | opinion | np |
supposer | opinion | que,inv |
présumer | opinion | que,inf |
craindre | opinion | que,de,np,inv |
redouter | opinion | que,de,np,inv |
espérer | opinion | que,inf,inv |
douter | opinion | que,de,inv |
parier | opinion | que,inv |
s'attendre | opinion | a,inv |
suggérer | opinion | que,np,inv |
prédire | opinion | que,np,inv |
pronostiquer | opinion | que,np,inv |
anticiper | opinion | que,np,inv |
minimiser | opinion | np,inv |
relativiser | opinion | np,inv |
s'étonner | opinion | que,de,inv |
prévoir | other | que,inf,np |
demander | ask | que,np,de,a,inv,colon |
se demander | ask | inv |
interroger | ask | np,inv,colon |
s'interroger | ask | inv |
questionner | ask | np,inv |
interpeller | ask | np,inv |
s'enquérir | ask | de,inv |
solliciter | ask | np |
nier | deny | que,inf,np,inv |
démentir | deny | que,np,inv |
contester | deny | que,np,inv |
réfuter | deny | que,np,inv |
infirmer | deny | que,np |
récuser | deny | np,inv |
rejeter | deny | np,inv | double
contredire | deny | np,inv |
objecter | deny | que,np,inv |
se défendre | deny | que,de,inf,inv |
dénoncer | criticise | que,np,inv |
critiquer | criticise | np,inv |
accuser | criticise | np,de,inv |
condamner | criticise | np,inv |
blâmer | criticise | np,inv |
reprocher | criticise | np,a,de,inv |
fustiger | criticise | np,inv |
épingler | criticise | np,inv |
pointer | criticise | np,inv |
pointer du doigt | criticise | np |
stigmatiser | criticise | np,inv |
vilipender | criticise | np |
pourfendre | criticise | np,inv |
tacler | criticise | np,inv |
étriller | criticise | np |
éreinter | criticise | np |
brocarder | criticise | np,inv |
accabler | criticise | np |
attaquer | criticise | np,inv |
cingler | criticise | inv |
grincer | criticise | inv | pp_inv
railler | criticise | np,inv |
persifler | criticise | np,inv |
ironiser | criticise | inv | pp_inv
se moquer | criticise | de,inv |
se gausser | criticise | de,inv |
s'en prendre | criticise | a,inv |
mettre en cause | criticise | np |
incriminer | criticise | np |
déplorer | criticise | que,np,inv |
regretter | criticise | que,np,de,inv |
protester | criticise | que,inv | pp_inv
s'indigner | criticise | que,de,inv |
s'insurger | criticise | inv |
s'emporter | criticise | inv |
s'agacer | criticise | que,de,inv |
s'irriter | criticise | que,de,inv |
s'énerver | criticise | inv |
s'offusquer | criticise | que,de,inv |
s'étrangler | criticise | inv |
s'exaspérer | criticise | que,de,inv |
s'impatienter | criticise | de,inv |
s'émouvoir | criticise | que,de,inv |
se récrier | criticise | inv |
se plaindre | criticise | que,de,inv |
se désoler | criticise | que,de,inv |
se lamenter | criticise | inv |
fulminer | criticise | inv | pp_inv
tempêter | criticise | inv | pp_inv
pester | criticise | inv | pp_inv
râler | criticise | que,inv | pp_inv
tonner | criticise | inv | pp_inv
grogner | criticise | inv |
maugréer | criticise | np,inv |
ronchonner | criticise | inv | pp_inv
saluer | praise | np,inv |
féliciter | praise | np,de,inv |
se féliciter | praise | que,de,inv |
se réjouir | praise | que,de,inv |
s'enthousiasmer | praise | inv |
applaudir | praise | np,inv |
remercier | praise | np,de,inv |
louer | praise | np,inv |
vanter | praise | np,inv |
encenser | praise | np |
rendre hommage | praise | a,inv | pp_inv
approuver | praise | np,inv |
accueillir | praise | np |
prévenir | warn | que,np,de,inv,colon |
avertir | warn | que,np,de,inv,colon |
mettre en garde | warn | que,np,inv |
alerter | warn | que,np,inv |
menacer | warn | de,np,inv |
s'inquiéter | warn | que,de,inv |
s'alarmer | warn | que,de,inv |
reconnaître | admit | que,inf,np,inv | alt=reconnaitre
admettre | admit | que,inf,np,inv |
avouer | admit | que,inf,np,inv |
concéder | admit | que,np,inv |
convenir | admit | que,de,inv |
confesser | admit | que,np,inv |
assumer | admit | inf,np,inv |
acquiescer | admit | inv | pp_inv
opiner | admit | inv | pp_inv
s'excuser | admit | de,inv |
ajouter | add | que,np,inv,colon |
poursuivre | add | inv,colon |
continuer | add | inv,colon |
reprendre | add | inv,colon |
enchaîner | add | inv,colon | alt=enchainer
renchérir | add | inv | pp_inv
abonder | add | inv | pp_inv
compléter | add | inv |
rebondir | add | inv | pp_inv
embrayer | add | inv | pp_inv
conclure | add | que,np,inv,colon |
promettre | promise | que,inf,np,a,inv |
jurer | promise | que,inf,a,inv |
s'engager | promise | a,inv |
garantir | promise | que,np,a,inv |
appeler | call | a,np,inv | double
exhorter | call | a,np,inv |
presser | call | de,np |
inviter | call | a,np,inv |
inciter | call | a,np |
encourager | call | a,np,inv |
exiger | call | que,np,de,inv |
réclamer | call | que,np,inv |
sommer | call | de,np |
enjoindre | call | de,np |
ordonner | call | que,de,np |
supplier | call | de,np,inv |
implorer | call | de,np,inv |
plaider | call | np,inv |
prôner | call | np,inv |
préconiser | call | np,de,inv |
proposer | call | que,de,np,inv |
recommander | call | que,de,np,inv |
conseiller | call | de,np,inv |
rapporter | report | que,np,inv |
indiquer | report | que,np,inv,colon |
signaler | report | que,np,inv |
informer | report | que,np,de |
faire état | report | de,inv | pp_inv
noter | report | que,np,inv |
observer | report | que,np,inv |
remarquer | report | que,np,inv |
faire remarquer | report | que,np,a,inv | pp_inv
faire observer | report | que,np,a,inv | pp_inv
constater | report | que,np,inv |
relever | report | que,np,inv |
rappeler | report | que,np,inv,colon | double
évoquer | report | np,inv |
mentionner | report | que,np,inv |
citer | report | np,inv |
raconter | report | que,np,inv,colon |
relater | report | que,np,inv |
narrer | report | np,inv |
témoigner | report | que,de,inv,colon |
se souvenir | report | que,de,inv |
apprendre | report | que,np,inv |
lire | report | np,inv |
écrire | write | que,np,a,inv,colon |
tweeter | write | que,np,inv,colon |
twitter | write | que,np,inv,colon |
publier | write | np |
poster | write | np |
réagir | other | inv | pp_inv
sourire | other | inv | pp_inv
rire | other | inv | pp_inv
plaisanter | other | inv | pp_inv
badiner | other | inv | pp_inv
s'amuser | other | que,de,inv |
s'esclaffer | other | inv |
"""

# --------------------------------------------------------------------------
# English lexicon: lemma | class | frames | flags
#   flags: double  double the final consonant (admitted, admitting)
#          nounlike  base and 3sg forms are mostly nouns in news (state, post): left out
#          both    list doubled and undoubled past/-ing (signalled/signaled)
# Irregular verbs are listed in EN_IRREGULAR.  Frame `que` = that-clause.
# --------------------------------------------------------------------------
EN_TABLE = """
say | speech | que,np,inv,colon |
tell | speech | que,inf,np,inv |
state | speech | que,np,inv,colon | nounlike
declare | speech | que,np,inv,colon |
speak | speech | inv,about |
confide | speech | que,inv |
answer | speech | np,inv |
reply | speech | que,inv,colon |
respond | speech | que,inv |
retort | speech | que,inv |
shout | speech | que,np,inv |
scream | speech | np,inv |
yell | speech | np,inv |
cry | speech | np,inv |
exclaim | speech | que,inv |
whisper | speech | que,np,inv |
murmur | speech | np,inv |
mutter | speech | np,inv |
mumble | speech | np,inv |
stammer | speech | np,inv |
sigh | speech | inv |
snap | speech | inv | double
blurt out | speech | np,inv |
claim | assert | que,inf,np,inv |
assert | assert | que,np,inv |
affirm | assert | que,np,inv |
aver | assert | que,inv | double
avow | assert | que,np,inv |
argue | assert | que,np,inv |
contend | assert | que,inv |
maintain | assert | que,np,inv |
allege | assert | que,np,inv |
insist | assert | que,inv |
repeat | assert | que,np,inv |
reiterate | assert | que,np,inv |
reaffirm | assert | que,np,inv |
emphasize | assert | que,np,inv |
emphasise | assert | que,np,inv |
stress | assert | que,np,inv |
underline | assert | que,np,inv |
underscore | assert | que,np,inv |
highlight | assert | que,np,inv |
confirm | assert | que,np,inv |
assure | assert | que,np,inv |
reassure | assert | que,np,inv |
certify | assert | que,np |
attest | assert | que,inv |
vouch | assert | inv |
posit | assert | que,inv |
put forward | assert | np |
boast | assert | que,np,inv |
brag | assert | que,inv | double
explain | explain | que,np,inv,colon |
describe | explain | np,inv |
detail | explain | np,inv |
elaborate | explain | inv |
clarify | explain | que,np,inv |
specify | explain | que,np |
summarize | explain | np,inv |
summarise | explain | np,inv |
spell out | explain | np |
lay out | explain | np |
set out | explain | np |
comment | explain | que,inv | nounlike
announce | announce | que,np,inv,colon |
proclaim | announce | que,np,inv |
reveal | announce | que,np,inv |
disclose | announce | que,np,inv |
unveil | announce | np |
notify | announce | np,que |
believe | opinion | que,inv |
think | opinion | que,inv |
consider | opinion | que,np |
feel | opinion | que |
find | opinion | que |
reckon | opinion | que,inv |
suggest | opinion | que,np,inv |
predict | opinion | que,np,inv |
forecast | opinion | que,np,inv |
foresee | opinion | que,np |
estimate | opinion | que,np,inv |
expect | opinion | que,inf,inv |
anticipate | opinion | que,np |
hope | opinion | que,inf,inv |
fear | opinion | que,np,inv |
doubt | opinion | que,np,inv |
suspect | opinion | que,np,inv |
speculate | opinion | que,inv |
surmise | opinion | que,inv |
guess | opinion | que,inv |
assume | opinion | que |
presume | opinion | que |
suppose | opinion | que |
deem | opinion | np |
opine | opinion | que,inv |
theorize | opinion | que,inv |
muse | opinion | que,inv |
imply | opinion | que,np |
hint | opinion | que,inv |
conclude | opinion | que,inv |
characterize | opinion | np |
characterise | opinion | np |
express | opinion | np |
ask | ask | que,np,inf,inv,colon |
query | ask | np,inv |
question | ask | np,inv | nounlike
wonder | ask | que,inv |
inquire | ask | np,inv |
enquire | ask | np,inv |
request | ask | que,np | nounlike
deny | deny | que,np,inv |
dispute | deny | que,np,inv |
reject | deny | np,inv |
refute | deny | np,inv |
rebut | deny | np,inv | double
dismiss | deny | np,inv |
rule out | deny | np |
contest | deny | que,np |
contradict | deny | np,inv |
challenge | deny | np,inv | nounlike
disagree | deny | que,inv |
object | deny | que,inv |
counter | deny | que,inv |
accuse | criticise | np,inv |
blame | criticise | np,inv |
charge | criticise | que,np,inv |
criticize | criticise | np,inv |
criticise | criticise | np,inv |
condemn | criticise | np,inv |
denounce | criticise | np,inv |
decry | criticise | np,inv |
slam | criticise | np,inv | double
blast | criticise | np,inv |
lambast | criticise | np,inv |
lambaste | criticise | np,inv |
chide | criticise | np,inv |
scold | criticise | np,inv |
rail | criticise | inv |
lash out | criticise | inv |
hit out | criticise | inv |
mock | criticise | np,inv |
scoff | criticise | inv |
sneer | criticise | inv |
complain | criticise | que,inv,about |
lament | criticise | que,np,inv |
bemoan | criticise | np,inv |
regret | criticise | que,np,inv | double
protest | criticise | que,inv |
grumble | criticise | que,inv |
moan | criticise | que,inv |
fume | criticise | inv |
praise | praise | np,inv |
welcome | praise | np,inv |
hail | praise | np,inv |
applaud | praise | np,inv |
thank | praise | np,inv |
laud | praise | np,inv |
tout | praise | np,inv |
commend | praise | np,inv |
congratulate | praise | np,inv |
endorse | praise | np |
enthuse | praise | inv |
gush | praise | inv |
warn | warn | que,np,inf,inv,colon,about |
caution | warn | que,np,inf,inv |
alert | warn | que,np |
threaten | warn | inf,np,inv |
worry | warn | que,inv,about |
admit | admit | que,np,inv | double
acknowledge | admit | que,np,inv |
concede | admit | que,np,inv |
confess | admit | que,np,inv |
agree | admit | que,inf,inv |
concur | admit | que,inv | double
accept | admit | que,np |
apologize | admit | inv |
apologise | admit | inv |
add | add | que,inv,colon |
continue | add | inv,colon |
go on | add | inv |
chime in | add | inv |
echo | add | np,inv |
interject | add | inv |
promise | promise | que,inf,np,inv |
pledge | promise | que,inf,np,inv |
vow | promise | que,inf,inv |
swear | promise | que,inf,inv |
guarantee | promise | que,np,inv |
urge | call | que,np,inf,inv |
call | call | np,inf |
call for | call | np |
call on | call | np,inf |
demand | call | que,np,inf,inv |
propose | call | que,np,inf,inv |
recommend | call | que,np,inv |
advise | call | que,np,inf,inv |
advocate | call | np | nounlike
plead | call | inf,inv |
implore | call | np,inf,inv |
beg | call | np,inf,inv | double
encourage | call | np,inf |
instruct | call | np,inf |
order | call | np,inf | nounlike
report | report | que,np,inv |
note | report | que,np,inv |
observe | report | que,np,inv |
remark | report | que,inv |
point out | report | que,np,inv |
point to | report | np |
mention | report | que,np,inv |
indicate | report | que,np,inv |
recall | report | que,np,inv |
remember | report | que,np,inv |
remind | report | que,np,inv |
testify | report | que,inv |
brief | report | np,inv |
inform | report | que,np |
quote | report | np,inv |
cite | report | np,inv |
recount | report | que,np,inv |
relate | report | que,np |
narrate | report | np,inv |
relay | report | que,np |
convey | report | np |
read | report | inv,colon |
write | write | que,np,inv,colon,about |
tweet | write | que,np,inv,colon | nounlike
post | write | que,np,inv,colon | nounlike
publish | write | np |
blog | write | que,inv | double
joke | other | que,inv |
quip | other | que,inv | double
laugh | other | inv |
chuckle | other | inv |
smile | other | inv |
signal | other | que,np | both
show | other | que,np |
decide | other | que,inf |
hold | other | que |
weigh in | other | inv |
want | other | inf,np |
plan | other | inf,np | double
support | other | np | nounlike
oppose | other | np |
back | other | np | nounlike
defend | other | np |
attack | other | np | nounlike
offer | other | np,inf |
refuse | other | inf,np |
decline | other | inf | nounlike
discuss | speech | np |
talk | speech | inv,about |
refer | speech | np | double
liken | other | np |
compare | other | np |
label | other | np |
link | other | np |
promote | other | np |
know | other | que |
seem | evidential | raise |
appear | evidential | raise |
reportedly | evidential | raise | adverb
allegedly | evidential | raise | adverb
reputedly | evidential | raise | adverb
purportedly | evidential | raise | adverb
understand | opinion | que |
learn | report | que |
rule | report | que | nounlike
"""

EN_IRREGULAR = {
    # base: (3sg, past, past participle(s), -ing)
    "say": ("says", ["said"], ["said"], "saying"),
    "tell": ("tells", ["told"], ["told"], "telling"),
    "write": ("writes", ["wrote"], ["written"], "writing"),
    "speak": ("speaks", ["spoke"], ["spoken"], "speaking"),
    "think": ("thinks", ["thought"], ["thought"], "thinking"),
    "know": ("knows", ["knew"], ["known"], "knowing"),
    "understand": ("understands", ["understood"], ["understood"], "understanding"),
    "feel": ("feels", ["felt"], ["felt"], "feeling"),
    "find": ("finds", ["found"], ["found"], "finding"),
    "swear": ("swears", ["swore"], ["sworn"], "swearing"),
    "show": ("shows", ["showed"], ["shown", "showed"], "showing"),
    "forecast": ("forecasts", ["forecast", "forecasted"], ["forecast", "forecasted"], "forecasting"),
    "foresee": ("foresees", ["foresaw"], ["foreseen"], "foreseeing"),
    "hold": ("holds", ["held"], ["held"], "holding"),
    "go": ("goes", ["went"], ["gone"], "going"),
    "read": ("reads", ["read"], ["read"], "reading"),
    "lay": ("lays", ["laid"], ["laid"], "laying"),
    "set": ("sets", ["set"], ["set"], "setting"),
    "put": ("puts", ["put"], ["put"], "putting"),
    "hit": ("hits", ["hit"], ["hit"], "hitting"),
    "spell": ("spells", ["spelled", "spelt"], ["spelled", "spelt"], "spelling"),
    "plead": ("pleads", ["pleaded", "pled"], ["pleaded", "pled"], "pleading"),
    "lambast": ("lambasts", ["lambasted"], ["lambasted"], "lambasting"),
}

# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
VOWELS = set("aeiouyàâäéèêëîïôöùûüœæ")


def nfc(s):
    return unicodedata.normalize("NFC", s)


def uniq(seq):
    seen, out = set(), []
    for x in seq:
        if x and x not in seen:
            seen.add(x)
            out.append(x)
    return out


def parse_table(text):
    rows = []
    for raw in text.strip().splitlines():
        raw = raw.strip()
        if not raw or raw.startswith("#"):
            continue
        parts = [p.strip() for p in raw.split("|")]
        while len(parts) < 4:
            parts.append("")
        lemma, cls, frames, flags = parts[:4]
        fl = {}
        for f in filter(None, flags.split(";")):
            if "=" in f:
                k, v = f.split("=", 1)
                fl[k.strip()] = v.strip()
            else:
                fl[f.strip()] = True
        rows.append((nfc(lemma), cls, frames, fl))
    return rows


# --------------------------------------------------------------------------
# French conjugation
# --------------------------------------------------------------------------
# Slot order used for the forms column.
FR_SLOTS = ["inf", "p1s", "p2s", "p3s", "p1p", "p2p", "p3p",
            "i1s", "i3s", "i3p", "ps3s", "ps3p",
            "f1s", "f3s", "f3p", "c1s", "c3s", "c3p",
            "s3s", "s3p", "ppms", "ppfs", "ppmp", "ppfp", "ppr"]
INV_SLOTS = {"p3s": "s", "p3p": "p", "i3s": "s", "i3p": "p", "ps3s": "s",
             "ps3p": "p", "f3s": "s", "f3p": "p", "c3s": "s", "c3p": "p"}
PERSON = {"p1s": "1s", "i1s": "1s", "f1s": "1s", "c1s": "1s",
          "p2s": "2s", "p1p": "1p", "p2p": "2p"}


def from_parts(inf, p, imp, ps, fut, subj, pp, pp_inv=False):
    """Build a paradigm (slot -> list of forms) from principal parts."""
    d = {"inf": [inf]}
    for slot, form in zip(["p1s", "p2s", "p3s", "p1p", "p2p", "p3p"], p):
        d[slot] = [form]
    d["i1s"] = [imp + "ais"]
    d["i3s"] = [imp + "ait"]
    d["i3p"] = [imp + "aient"]
    d["ps3s"], d["ps3p"] = [ps[0]], [ps[1]]
    d["f1s"], d["f3s"], d["f3p"] = [fut + "ai"], [fut + "a"], [fut + "ont"]
    d["c1s"], d["c3s"], d["c3p"] = [fut + "ais"], [fut + "ait"], [fut + "aient"]
    d["s3s"], d["s3p"] = [subj[0]], [subj[1]]
    d.update(pp_forms(pp, pp_inv))
    d["ppr"] = [imp + "ant"]
    return d


def pp_forms(pp, pp_inv=False):
    if pp_inv:
        return {"ppms": [pp], "ppfs": [], "ppmp": [], "ppfp": []}
    if pp.endswith("s"):
        return {"ppms": [pp], "ppfs": [pp + "e"], "ppmp": [pp], "ppfp": [pp + "es"]}
    return {"ppms": [pp], "ppfs": [pp + "e"], "ppmp": [pp + "s"], "ppfp": [pp + "es"]}


def merge(*paradigms):
    out = {}
    for par in paradigms:
        for k, v in par.items():
            out.setdefault(k, [])
            out[k] = uniq(out[k] + v)
    return out


def soften(stem, ending):
    """-cer / -ger: ç / ge before a and o."""
    if ending[:1] in ("a", "o"):
        if stem.endswith("c"):
            return stem[:-1] + "ç"
        if stem.endswith("g"):
            return stem + "e"
    return stem


def last_vowel(stem):
    """Index of the last vowel of stem and number of consonant letters after it.

    `u` in `gu` / `qu` counts as part of the consonant."""
    i = len(stem) - 1
    n = 0
    while i >= 0:
        c = stem[i]
        if c == "u" and i > 0 and stem[i - 1] in "gq":
            i -= 1
            n += 1
            continue
        if c in VOWELS:
            return i, n
        i -= 1
        n += 1
    return -1, n


def strong_stems(stem, flags):
    """Stems used before a mute e (je lève, il appelle, ils emploient)
    and the stems used in the future/conditional."""
    modes = []
    if flags.get("double+grave"):
        modes = ["double", "grave"]
    elif flags.get("double"):
        modes = ["double"]
    if stem.endswith("y"):
        prev = stem[-2]
        if prev in "ou":
            s = stem[:-1] + "i"
            return [s], [s]
        if prev == "a":
            s = stem[:-1] + "i"
            return [s, stem], [s, stem]
        return [stem], [stem]
    if modes:
        strong = []
        for m in modes:
            if m == "double":
                strong.append(stem + stem[-1])
            else:
                i, _ = last_vowel(stem)
                strong.append(stem[:i] + "è" + stem[i + 1:])
        return strong, strong
    i, n = last_vowel(stem)
    if i >= 0 and n >= 1:
        v = stem[i]
        if v == "é":
            s = stem[:i] + "è" + stem[i + 1:]
            # traditional future répétera + 1990 spelling répètera
            return [s], [stem, s]
        if v == "e" and n == 1 and stem[-1] != "x" and (i == 0 or stem[i - 1] not in VOWELS):
            s = stem[:i] + "è" + stem[i + 1:]
            return [s], [s]
    return [stem], [stem]


def conj_er(inf, flags):
    stem = inf[:-2]
    strong, fut_stems = strong_stems(stem, flags)
    d = {"inf": [inf]}

    def w(ending):
        return soften(stem, ending) + ending

    d["p1s"] = [s + "e" for s in strong]
    d["p2s"] = [s + "es" for s in strong]
    d["p3s"] = [s + "e" for s in strong]
    d["p1p"] = [w("ons")]
    d["p2p"] = [stem + "ez"]
    d["p3p"] = [s + "ent" for s in strong]
    d["i1s"], d["i3s"], d["i3p"] = [w("ais")], [w("ait")], [w("aient")]
    d["ps3s"], d["ps3p"] = [w("a")], [stem + "èrent"]
    d["f1s"] = [s + "erai" for s in fut_stems]
    d["f3s"] = [s + "era" for s in fut_stems]
    d["f3p"] = [s + "eront" for s in fut_stems]
    d["c1s"] = [s + "erais" for s in fut_stems]
    d["c3s"] = [s + "erait" for s in fut_stems]
    d["c3p"] = [s + "eraient" for s in fut_stems]
    d["s3s"] = [s + "e" for s in strong]
    d["s3p"] = [s + "ent" for s in strong]
    d.update(pp_forms(stem + "é", flags.get("pp_inv")))
    d["ppr"] = [w("ant")]
    return d


def conj_finir(inf, flags):
    s = inf[:-2]
    return from_parts(inf, [s + "is", s + "is", s + "it", s + "issons", s + "issez", s + "issent"],
                      s + "iss", (s + "it", s + "irent"), s + "ir",
                      (s + "isse", s + "issent"), s + "i", flags.get("pp_inv"))


def conj_irregular(inf, flags):
    """Return a paradigm for the irregular verbs used in the lexicon, or None."""
    ppi = flags.get("pp_inv")
    if inf.endswith("crire"):
        x = inf[:-5] + "cri"
        return from_parts(inf, [x + "s", x + "s", x + "t", x + "vons", x + "vez", x + "vent"],
                          x + "v", (x + "vit", x + "virent"), x + "r",
                          (x + "ve", x + "vent"), x + "t", ppi)
    if inf.endswith("dire"):
        x = inf[:-4]
        p2p = x + ("dites" if x in ("", "re") else "disez")
        return from_parts(inf, [x + "dis", x + "dis", x + "dit", x + "disons", p2p, x + "disent"],
                          x + "dis", (x + "dit", x + "dirent"), x + "dir",
                          (x + "dise", x + "disent"), x + "dit", ppi)
    if inf.endswith("faire"):
        x = inf[:-5]
        return from_parts(inf, [x + "fais", x + "fais", x + "fait", x + "faisons", x + "faites", x + "font"],
                          x + "fais", (x + "fit", x + "firent"), x + "fer",
                          (x + "fasse", x + "fassent"), x + "fait", ppi)
    if inf.endswith("mettre"):
        x = inf[:-6] + "m"
        return from_parts(inf, [x + "ets", x + "ets", x + "et", x + "ettons", x + "ettez", x + "ettent"],
                          x + "ett", (x + "it", x + "irent"), x + "ettr",
                          (x + "ette", x + "ettent"), x + "is", ppi)
    if inf.endswith("tenir") or inf.endswith("venir"):
        x = inf[:-4]  # ...t / ...v
        return from_parts(inf, [x + "iens", x + "iens", x + "ient", x + "enons", x + "enez", x + "iennent"],
                          x + "en", (x + "int", x + "inrent"), x + "iendr",
                          (x + "ienne", x + "iennent"), x + "enu", ppi)
    if inf.endswith("prendre"):
        x = inf[:-7] + "pr"
        return from_parts(inf, [x + "ends", x + "ends", x + "end", x + "enons", x + "enez", x + "ennent"],
                          x + "en", (x + "it", x + "irent"), x + "endr",
                          (x + "enne", x + "ennent"), x + "is", ppi)
    for tail in ("aindre", "eindre", "oindre"):
        if inf.endswith(tail):
            x = inf[:-4]  # crai / enjoi / plai
            return from_parts(inf, [x + "ns", x + "ns", x + "nt", x + "gnons", x + "gnez", x + "gnent"],
                              x + "gn", (x + "gnit", x + "gnirent"), x + "ndr",
                              (x + "gne", x + "gnent"), x + "nt", ppi)
    if inf.endswith("ndre"):  # rendre, répondre, défendre, attendre
        x = inf[:-2]
        return from_parts(inf, [x + "s", x + "s", x, x + "ons", x + "ez", x + "ent"],
                          x, (x + "it", x + "irent"), x + "r",
                          (x + "e", x + "ent"), x + "u", ppi)
    if inf.endswith("aître") or inf.endswith("aitre"):
        circ = inf.endswith("aître")
        x = inf[:-5]
        ai = "aî" if circ else "ai"
        return from_parts(inf, [x + "ais", x + "ais", x + ai + "t", x + "aissons", x + "aissez", x + "aissent"],
                          x + "aiss", (x + "ut", x + "urent"), x + ai + "tr",
                          (x + "aisse", x + "aissent"), x + "u", ppi)
    if inf.endswith("croire"):
        x = inf[:-6] + "cr"
        return from_parts(inf, [x + "ois", x + "ois", x + "oit", x + "oyons", x + "oyez", x + "oient"],
                          x + "oy", (x + "ut", x + "urent"), x + "oir",
                          (x + "oie", x + "oient"), x + "u", ppi)
    if inf == "prévoir":
        x = "prév"
        return from_parts(inf, [x + "ois", x + "ois", x + "oit", x + "oyons", x + "oyez", x + "oient"],
                          x + "oy", (x + "it", x + "irent"), x + "oir",
                          (x + "oie", x + "oient"), x + "u", ppi)
    if inf.endswith("mouvoir"):
        x = inf[:-7] + "m"
        return from_parts(inf, [x + "eus", x + "eus", x + "eut", x + "ouvons", x + "ouvez", x + "euvent"],
                          x + "ouv", (x + "ut", x + "urent"), x + "ouvr",
                          (x + "euve", x + "euvent"), x + "u", ppi)
    if inf.endswith("suivre"):
        x = inf[:-6] + "sui"
        return from_parts(inf, [x + "s", x + "s", x + "t", x + "vons", x + "vez", x + "vent"],
                          x + "v", (x + "vit", x + "virent"), x + "vr",
                          (x + "ve", x + "vent"), x + "vi", ppi)
    if inf.endswith("clure"):
        x = inf[:-5] + "clu"
        return from_parts(inf, [x + "s", x + "s", x + "t", x + "ons", x + "ez", x + "ent"],
                          x, (x + "t", x + "rent"), x + "r",
                          (x + "e", x + "ent"), x, ppi)
    if inf.endswith("rire"):  # rire, sourire (écrire handled above)
        x = inf[:-4] + "ri"
        return from_parts(inf, [x + "s", x + "s", x + "t", x + "ons", x + "ez", x + "ent"],
                          x, (x + "t", x + "rent"), x + "r",
                          (x + "e", x + "ent"), x, True)
    if inf.endswith("lire"):
        x = inf[:-4] + "l"
        return from_parts(inf, [x + "is", x + "is", x + "it", x + "isons", x + "isez", x + "isent"],
                          x + "is", (x + "ut", x + "urent"), x + "ir",
                          (x + "ise", x + "isent"), x + "u", ppi)
    if inf.endswith("quérir"):
        x = inf[:-6] + "qu"
        return from_parts(inf, [x + "iers", x + "iers", x + "iert", x + "érons", x + "érez", x + "ièrent"],
                          x + "ér", (x + "it", x + "irent"), x + "err",
                          (x + "ière", x + "ièrent"), x + "is", ppi)
    if inf.endswith("mentir"):
        x = inf[:-6] + "men"
        return from_parts(inf, [x + "s", x + "s", x + "t", x + "tons", x + "tez", x + "tent"],
                          x + "t", (x + "tit", x + "tirent"), x + "tir",
                          (x + "te", x + "tent"), x + "ti", ppi)
    if inf.endswith("cueillir"):
        x = inf[:-8] + "cueill"
        return from_parts(inf, [x + "e", x + "es", x + "e", x + "ons", x + "ez", x + "ent"],
                          x, (x + "it", x + "irent"), x + "er",
                          (x + "e", x + "ent"), x + "i", ppi)
    return None


def conj_fr(inf, flags):
    d = conj_irregular(inf, flags)
    if d is not None:
        return d
    if inf.endswith("er"):
        return conj_er(inf, flags)
    if inf.endswith("ir"):
        return conj_finir(inf, flags)
    raise ValueError("cannot conjugate " + inf)


def elide(words):
    """Join clitics and verb, eliding me/te/se before a vowel or mute h."""
    out = ""
    for i, w in enumerate(words):
        if i + 1 < len(words) and w in ("me", "te", "se"):
            nxt = words[i + 1]
            if nxt[0] in VOWELS or nxt[0] == "h":
                out += w[0] + "'"
                continue
        out += w + " "
    return out.strip()


CLITIC = {"1s": "me", "2s": "te", "1p": "nous", "2p": "vous"}


def parse_fr_lemma(lemma):
    """-> (pronominal, with_en, verb, tail)"""
    pron, en = False, False
    rest = lemma
    if rest.startswith("se "):
        pron, rest = True, rest[3:]
    elif rest.startswith("s'"):
        pron, rest = True, rest[2:]
    if pron and rest.startswith("en "):
        en, rest = True, rest[3:]
    words = rest.split(" ", 1)
    verb = words[0]
    tail = words[1] if len(words) > 1 else ""
    return pron, en, verb, tail


def needs_t(form):
    return form[-1] in VOWELS


def fr_forms(lemma, frames, flags):
    pron, en, verb, tail = parse_fr_lemma(lemma)
    flags = dict(flags)
    if tail and verb in ("faire",):
        flags["pp_inv"] = True
    par = conj_fr(verb, flags)
    if "alt" in flags:
        for alt in flags["alt"].split(","):
            par = merge(par, conj_fr(alt, flags))
    sfx = (" " + tail) if tail else ""

    def with_clitic(slot, form):
        if not pron or slot.startswith("pp") and slot != "ppr":
            return form + sfx
        cl = CLITIC.get(PERSON.get(slot, ""), "se")
        words = [cl] + (["en"] if en else []) + [form]
        return elide(words) + sfx

    forms = []
    for slot in FR_SLOTS:
        for f in par.get(slot, []):
            forms.append(with_clitic(slot, f))
    if "inv" in frames:
        for slot in FR_SLOTS:
            if slot not in INV_SLOTS:
                continue
            prons = ["il", "elle", "on"] if INV_SLOTS[slot] == "s" else ["ils", "elles"]
            for f in par.get(slot, []):
                for p in prons:
                    v = f + ("-t-" if needs_t(f) else "-") + p
                    if pron:
                        v = elide(["se"] + (["en"] if en else []) + [v])
                    forms.append(v + sfx)
    if "extra" in flags:
        forms += [x.strip() for x in flags["extra"].split(",")]
    return uniq(nfc(f.lower()) for f in forms)


# --------------------------------------------------------------------------
# English conjugation
# --------------------------------------------------------------------------
def en_inflect(word, flags):
    if word in EN_IRREGULAR:
        s3, past, pp, ing = EN_IRREGULAR[word]
        return [word, s3] + past + pp + [ing]
    # 3sg
    if word.endswith(("s", "sh", "ch", "x", "z", "o")):
        s3 = word + "es"
    elif word.endswith("y") and word[-2] not in "aeiou":
        s3 = word[:-1] + "ies"
    else:
        s3 = word + "s"
    # past / -ing
    pasts, ings = [], []
    if word.endswith("e"):
        pasts.append(word + "d")
        ings.append(word + "ing" if word.endswith(("ee", "ye", "oe")) else word[:-1] + "ing")
    elif word.endswith("y") and word[-2] not in "aeiou":
        pasts.append(word[:-1] + "ied")
        ings.append(word + "ing")
    else:
        if flags.get("double") or flags.get("both"):
            pasts.append(word + word[-1] + "ed")
            ings.append(word + word[-1] + "ing")
        if not flags.get("double"):
            pasts.append(word + "ed")
            ings.append(word + "ing")
    return [word, s3] + pasts + ings


def en_forms(lemma, flags):
    words = lemma.split(" ", 1)
    tail = (" " + words[1]) if len(words) > 1 else ""
    if flags.get("adverb"):
        # An evidential adverb (`reportedly`) is its only form.
        return [lemma.lower()]
    forms = en_inflect(words[0], flags)
    if flags.get("nounlike"):
        # The base and 3sg forms are mostly nouns in news text (`the state`, `a post`,
        # `his comments`, `tweets`): keep the past, participle and -ing forms only.
        forms = forms[2:]
    return uniq(f.lower() + tail for f in forms)


# --------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------
def header(lang):
    if lang == "fr":
        name = "reporting-verbs.fr (verbes introducteurs de discours rapporté)"
        src = ("compiled by the Vigie developers from the reporting-verb inventories "
               "documented in the literature: the reporting-verb classes used by the "
               "Gender Gap Tracker / Radar de Parité quote extractors and the "
               "\"verbes introducteurs de discours rapporté\" lists of French grammar "
               "references (e.g. Grevisse, Le Bon Usage, chapter on discours rapporté); "
               "inflected forms generated by " + SCRIPT_REL)
        note = [
            "# note: forms = infinitive, présent (all persons), imparfait 1sg/3sg/3pl, passé simple 3sg/3pl, "
            "futur 1sg/3sg/3pl, conditionnel 1sg/3sg/3pl, subjonctif 3sg/3pl, participe passé m/f/sg/pl, "
            "participe présent, and (when frames contain inv) the inverted incise forms (dit-il, explique-t-on)",
            "# note: pronominal lemmas list finite forms with their clitic (se félicite, s'inquiète) and bare "
            "past participles (s'est félicité: auxiliary and clitic handled by the engine)",
            "# note: frames: que=that-clause, inf=infinitive complement, np=noun phrase, de/a=complement "
            "introduced by de/à, inv=used in inverted incise after a quote, colon=introduces a quote after ':'",
        ]
        lang_name = "fr"
    else:
        name = "reporting-verbs.en (English reporting verbs / attribution cues)"
        src = ("compiled by the Vigie developers from the reporting-verb inventories "
               "documented in the literature: the reporting-verb classes used by the "
               "Gender Gap Tracker quote extractor and the PolNeAR / PARC attribution "
               "cue annotation guidelines; inflected forms generated by " + SCRIPT_REL)
        note = [
            "# note: forms = base, 3sg, past, past participle (when different), -ing; phrasal lemmas inflect "
            "their first word (points out)",
            "# note: frames: que=that-clause, inf=to-infinitive complement, np=noun phrase, inv=used after a "
            "quote (\"...,\" she said / said Smith), colon=introduces a quote after ':', "
            "about=a topic after about/of (spoke about the deal), "
            "raise=the whole clause is the content, its subject included (X seems to …)",
        ]
        lang_name = "en"
    return ["# name: " + name,
            "# language: " + lang_name,
            "# source: " + src,
            "# licence: CC0-1.0 (compiled by the Vigie project)",
            "# generated: do not edit by hand, edit and rerun " + SCRIPT_REL] + note + [
            "# columns: lemma\tclass\tframes\tforms"]


def check_row(lemma, cls, frames):
    if cls not in CLASSES:
        sys.exit("bad class %r for %r" % (cls, lemma))
    for f in frames.split(","):
        if f not in FRAMES:
            sys.exit("bad frame %r for %r" % (f, lemma))


def norm_frames(frames):
    fs = [f.strip() for f in frames.split(",") if f.strip()]
    return ",".join(f for f in FRAMES if f in fs)


def build(lang):
    table = FR_TABLE if lang == "fr" else EN_TABLE
    lines = header(lang)
    seen = set()
    for lemma, cls, frames, flags in parse_table(table):
        if lemma in seen:
            sys.exit("duplicate lemma " + lemma)
        seen.add(lemma)
        frames = norm_frames(frames)
        check_row(lemma, cls, frames)
        forms = fr_forms(lemma, frames, flags) if lang == "fr" else en_forms(lemma, flags)
        lines.append("\t".join([lemma, cls, frames, ",".join(forms)]))
    path = os.path.join(OUT_DIR, "reporting-verbs.%s.tsv" % lang)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")
    return path, len(seen)


def main():
    for lang in ("fr", "en"):
        path, n = build(lang)
        print("%s: %d lemmas" % (path, n))


if __name__ == "__main__":
    main()
