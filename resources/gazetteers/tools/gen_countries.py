#!/usr/bin/env python3
"""Regenerate resources/gazetteers/countries.tsv.

Requires: Python >= 3.9, and the PyPI packages `babel` (Unicode CLDR data) and
`pycountry` (ISO 3166-1 data from Debian iso-codes):

    python3 -m venv /tmp/genvenv
    /tmp/genvenv/bin/pip install babel pycountry
    /tmp/genvenv/bin/python resources/gazetteers/tools/gen_countries.py

Everything that CLDR / ISO do not provide (French and English alternative
names, gentilés / demonyms, capitals) is kept by hand in the HAND table below,
one line per ISO 3166-1 alpha-2 code.  Edit that table, then rerun.
"""
import os
import sys
import unicodedata

import babel
import pycountry
from babel import Locale
from babel.core import get_cldr_version

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "countries.tsv")

# ---------------------------------------------------------------------------
# Hand-kept table.  Fields separated by ";", values inside a field by "|":
#   ISO2 ; names_fr extra ; names_en_alt ; adj_fr ; adj_en ; capital_fr ; capital_en
# adj_fr: each token is a French masculine-singular gentilé that is inflected
#   automatically (fem., plurals); a token prefixed with "!" is taken literally.
# adj_en: each token gets an automatic plural (+s, -hman/-woman -> -men; none for
#   -ese/-ish/-ss); a token prefixed with "!" is taken literally.
# Diacritic-free and straight-apostrophe variants are added automatically.
# ---------------------------------------------------------------------------
HAND = r"""
AD ; Principauté d'Andorre ; ; andorran ; Andorran ; Andorre-la-Vieille ; Andorra la Vella
AE ; Émirats|EAU|E.A.U. ; UAE|U.A.E.|Emirates ; émirien|!émirati|!émiratie|!émiratis|!émiraties ; Emirati ; Abou Dabi|Abu Dhabi ; Abu Dhabi
AF ; République islamique d'Afghanistan|Émirat islamique d'Afghanistan ; Islamic Emirate of Afghanistan ; afghan ; Afghan|!Afghani ; Kaboul ; Kabul
AG ; Antigua ; Antigua ; antiguais ; Antiguan ; Saint John's ; St. John's|Saint John's
AI ; ; ; anguillais ; Anguillan ; The Valley ; The Valley
AL ; République d'Albanie ; ; albanais ; Albanian ; Tirana ; Tirana
AM ; République d'Arménie ; ; arménien ; Armenian ; Erevan|Yerevan ; Yerevan
AO ; République d'Angola ; ; angolais ; Angolan ; Luanda ; Luanda
AQ ; ; ; ; ; ;
AR ; République argentine ; ; argentin ; Argentine|Argentinian ; Buenos Aires ; Buenos Aires
AS ; ; ; ; American Samoan ; Pago Pago ; Pago Pago
AT ; République d'Autriche ; ; autrichien ; Austrian ; Vienne ; Vienna
AU ; Commonwealth d'Australie ; Commonwealth of Australia ; australien ; Australian ; Canberra ; Canberra
AW ; ; ; arubais ; Aruban ; Oranjestad ; Oranjestad
AX ; Åland ; ; ålandais ; Ålander ; Mariehamn ; Mariehamn
AZ ; République d'Azerbaïdjan ; ; azerbaïdjanais ; Azerbaijani|Azeri ; Bakou ; Baku
BA ; Bosnie ; Bosnia ; bosnien ; Bosnian ; Sarajevo ; Sarajevo
BB ; ; ; barbadien ; Barbadian|Bajan ; Bridgetown ; Bridgetown
BD ; République populaire du Bangladesh ; ; bangladais|!bangladeshi|!bangladeshis ; Bangladeshi ; Dacca|Dhaka ; Dhaka
BE ; Royaume de Belgique ; ; belge ; Belgian ; Bruxelles ; Brussels
BF ; Burkina ; Burkina ; !burkinabè|!burkinabé|!burkinabè|!burkinabès|!burkinabés ; !Burkinabe|!Burkinabè|!Burkinabes|!Burkinabés ; Ouagadougou|Ouaga ; Ouagadougou
BG ; République de Bulgarie ; ; bulgare ; Bulgarian ; Sofia ; Sofia
BH ; Royaume de Bahreïn ; ; bahreïnien|!bahreïni|!bahreïnie|!bahreïnis|!bahreïnies ; Bahraini ; Manama ; Manama
BI ; République du Burundi ; ; burundais ; Burundian ; Gitega|Bujumbura ; Gitega|Bujumbura
BJ ; République du Bénin ; ; béninois ; Beninese ; Porto-Novo|Cotonou ; Porto-Novo|Cotonou
BL ; Saint-Barth ; Saint Barts|St. Barts|St Barths ; ; ; Gustavia ; Gustavia
BM ; ; ; bermudien ; Bermudian ; Hamilton ; Hamilton
BN ; Brunéi|Brunei Darussalam ; Brunei Darussalam ; brunéien ; Bruneian ; Bandar Seri Begawan ; Bandar Seri Begawan
BO ; État plurinational de Bolivie ; ; bolivien ; Bolivian ; Sucre|La Paz ; Sucre|La Paz
BQ ; Bonaire|Saint-Eustache|Saba ; Bonaire|Sint Eustatius|Saba ; ; ; Kralendijk ; Kralendijk
BR ; République fédérative du Brésil ; ; brésilien ; Brazilian ; Brasilia|Brasília ; Brasília
BS ; Commonwealth des Bahamas ; The Bahamas ; bahamien ; Bahamian ; Nassau ; Nassau
BT ; Royaume du Bhoutan ; ; bhoutanais ; Bhutanese ; Thimphou|Thimphu ; Thimphu
BV ; ; ; ; ; ;
BW ; République du Botswana ; ; botswanais ; Botswanan|!Motswana|!Batswana ; Gaborone ; Gaborone
BY ; Bélarus|Belarus|République de Biélorussie|République du Bélarus ; Byelorussia|Belorussia ; biélorusse|bélarusse|bélarussien ; Belarusian|Belarussian|Byelorussian ; Minsk ; Minsk
BZ ; ; ; bélizien ; Belizean ; Belmopan ; Belmopan
CA ; ; ; canadien ; Canadian ; Ottawa ; Ottawa
CC ; Îles Cocos (Keeling) ; Cocos Islands|Keeling Islands ; ; ; West Island ; West Island
CD ; RDC|R.D.C.|République démocratique du Congo|RD Congo|Congo démocratique|Congo Kinshasa ; DRC|D.R.C.|DR Congo|Democratic Republic of the Congo|Democratic Republic of Congo|Congo-Kinshasa ; congolais ; Congolese ; Kinshasa ; Kinshasa
CF ; Centrafrique|RCA|République Centrafricaine ; CAR|C.A.R.|Central African Rep. ; centrafricain ; Central African ; Bangui ; Bangui
CG ; Congo|République du Congo|Congo Brazzaville ; Congo|Republic of the Congo|Republic of Congo|Congo-Brazzaville ; congolais ; Congolese ; Brazzaville ; Brazzaville
CH ; Confédération suisse|Confédération helvétique ; Swiss Confederation ; suisse|helvétique|!suissesse|!suissesses ; !Swiss ; Berne ; Bern|Berne
CI ; République de Côte d'Ivoire ; Ivory Coast|Côte d'Ivoire ; ivoirien ; Ivorian|Ivoirian ; Yamoussoukro|Abidjan ; Yamoussoukro|Abidjan
CK ; ; ; ; Cook Islander ; Avarua ; Avarua
CL ; République du Chili ; ; chilien ; Chilean ; Santiago|Santiago du Chili ; Santiago
CM ; République du Cameroun ; ; camerounais ; Cameroonian ; Yaoundé ; Yaoundé
CN ; République populaire de Chine|RPC|Chine populaire ; PRC|P.R.C.|Mainland China ; chinois ; Chinese ; Pékin|Beijing ; Beijing|Peking
CO ; République de Colombie ; ; colombien ; Colombian ; Bogota|Bogotá ; Bogotá
CR ; République du Costa Rica ; ; costaricien|costaricain ; Costa Rican ; San José ; San José
CU ; République de Cuba ; ; cubain ; Cuban ; La Havane|Havane ; Havana
CV ; Cabo Verde|Cap Vert|République de Cabo Verde ; Cabo Verde ; cap-verdien ; Cape Verdean|Cabo Verdean ; Praia ; Praia
CW ; ; ; curacien ; Curaçaoan ; Willemstad ; Willemstad
CX ; ; ; ; ; Flying Fish Cove ; Flying Fish Cove
CY ; République de Chypre ; ; chypriote|cypriote ; Cypriot ; Nicosie ; Nicosia
CZ ; République tchèque|Tchéquie ; Czech Republic ; tchèque ; Czech ; Prague ; Prague
DE ; République fédérale d'Allemagne|RFA ; ; allemand ; German ; Berlin ; Berlin
DJ ; République de Djibouti ; ; djiboutien ; Djiboutian ; Djibouti ; Djibouti
DK ; Royaume du Danemark ; ; danois ; Danish|Dane ; Copenhague ; Copenhagen
DM ; Commonwealth de la Dominique ; Commonwealth of Dominica ; dominiquais ; ; Roseau ; Roseau
DO ; ; ; dominicain ; Dominican ; Saint-Domingue ; Santo Domingo
DZ ; République algérienne démocratique et populaire|République algérienne ; ; algérien ; Algerian ; Alger ; Algiers
EC ; République de l'Équateur ; ; équatorien ; Ecuadorian|Ecuadorean ; Quito ; Quito
EE ; République d'Estonie ; ; estonien ; Estonian ; Tallinn ; Tallinn
EG ; République arabe d'Égypte ; ; égyptien ; Egyptian ; Le Caire|Caire ; Cairo
EH ; Sahara Occidental|République arabe sahraouie démocratique|RASD ; Sahrawi Arab Democratic Republic|SADR ; sahraoui ; Sahrawi|Saharawi ; Laâyoune|Laayoune ; Laayoune|El Aaiún
ER ; État d'Érythrée ; ; érythréen ; Eritrean ; Asmara ; Asmara
ES ; Royaume d'Espagne ; ; espagnol ; !Spanish|Spaniard ; Madrid ; Madrid
ET ; République fédérale démocratique d'Éthiopie ; ; éthiopien ; Ethiopian ; Addis-Abeba|Addis Abeba ; Addis Ababa
FI ; République de Finlande ; ; finlandais ; Finnish|Finn ; Helsinki ; Helsinki
FJ ; République des Fidji|Îles Fidji ; Fiji Islands ; fidjien ; Fijian ; Suva ; Suva
FK ; Îles Falkland|Malouines|Falkland ; Falklands|Malvinas ; ; Falkland Islander ; Stanley|Port Stanley ; Stanley
FM ; États fédérés de Micronésie ; ; micronésien ; Micronesian ; Palikir ; Palikir
FO ; Féroé ; Faroes|Faeroe Islands ; féroïen ; Faroese ; Tórshavn ; Tórshavn
FR ; République française ; ; français ; !French|Frenchman|Frenchwoman ; Paris ; Paris
GA ; République gabonaise ; ; gabonais ; Gabonese ; Libreville ; Libreville
GB ; Grande-Bretagne|Royaume Uni|Royaume-Uni de Grande-Bretagne et d'Irlande du Nord ; UK|U.K.|Britain|Great Britain ; britannique ; !British|Briton|Brit ; Londres ; London
GD ; ; ; grenadien ; Grenadian ; Saint-Georges ; St. George's|Saint George's
GE ; ; ; géorgien ; Georgian ; Tbilissi ; Tbilisi
GF ; Guyane ; ; guyanais ; French Guianese ; Cayenne ; Cayenne
GG ; ; ; ; ; Saint-Pierre-Port ; St Peter Port
GH ; République du Ghana ; ; ghanéen ; Ghanaian ; Accra ; Accra
GI ; ; ; gibraltarien ; Gibraltarian ; Gibraltar ; Gibraltar
GL ; ; ; groenlandais ; !Greenlandic|Greenlander ; Nuuk ; Nuuk
GM ; République de Gambie ; The Gambia ; gambien ; Gambian ; Banjul ; Banjul
GN ; République de Guinée|Guinée-Conakry|Guinée Conakry ; Guinea-Conakry ; guinéen ; Guinean ; Conakry ; Conakry
GP ; ; ; guadeloupéen ; Guadeloupean ; Basse-Terre ; Basse-Terre
GQ ; République de Guinée équatoriale ; ; équato-guinéen ; Equatoguinean|Equatorial Guinean ; Malabo ; Malabo
GR ; République hellénique ; ; !grec|!grecque|!grecs|!grecques|hellène ; Greek|!Hellenic ; Athènes ; Athens
GS ; ; South Georgia ; ; ; King Edward Point ; King Edward Point
GT ; République du Guatemala ; ; guatémaltèque ; Guatemalan ; Guatemala ; Guatemala City
GU ; ; ; guamanien ; Guamanian ; Hagåtña ; Hagåtña|Agana
GW ; République de Guinée-Bissau|Guinée Bissau ; Guinea Bissau ; bissau-guinéen ; Bissau-Guinean ; Bissau ; Bissau
GY ; République coopérative du Guyana ; ; guyanien ; Guyanese ; Georgetown ; Georgetown
HK ; Hong Kong|Hongkong ; Hong Kong|Hong Kong SAR ; hongkongais ; Hongkonger|Hong Konger ; Hong Kong ; Hong Kong
HM ; ; ; ; ; ;
HN ; République du Honduras ; ; hondurien ; Honduran ; Tegucigalpa ; Tegucigalpa
HR ; République de Croatie ; ; croate ; Croatian|Croat ; Zagreb ; Zagreb
HT ; République d'Haïti ; ; haïtien ; Haitian ; Port-au-Prince ; Port-au-Prince
HU ; ; ; hongrois ; Hungarian ; Budapest ; Budapest
ID ; République d'Indonésie ; ; indonésien ; Indonesian ; Jakarta|Djakarta ; Jakarta
IE ; République d'Irlande|Éire ; Republic of Ireland|Eire ; irlandais ; !Irish|Irishman|Irishwoman ; Dublin ; Dublin
IL ; État d'Israël ; ; israélien ; Israeli ; Jérusalem|Tel-Aviv|Tel Aviv ; Jerusalem|Tel Aviv
IM ; ; ; mannois ; !Manx ; Douglas ; Douglas
IN ; République de l'Inde|Bharat ; Bharat ; indien ; Indian ; New Delhi|New-Delhi ; New Delhi
IO ; Archipel des Chagos|Chagos ; Chagos Islands|Chagos Archipelago ; chagossien ; Chagossian ; ; Diego Garcia
IQ ; République d'Irak|Iraq ; ; irakien|iraquien ; Iraqi ; Bagdad ; Baghdad
IR ; République islamique d'Iran ; ; iranien ; Iranian ; Téhéran ; Tehran
IS ; République d'Islande ; ; islandais ; !Icelandic|Icelander ; Reykjavik ; Reykjavík
IT ; République italienne ; ; italien ; Italian ; Rome ; Rome
JE ; ; ; jersiais ; ; Saint-Hélier ; St Helier|Saint Helier
JM ; ; ; jamaïcain ; Jamaican ; Kingston ; Kingston
JO ; Royaume hachémite de Jordanie ; ; jordanien ; Jordanian ; Amman ; Amman
JP ; ; ; japonais ; Japanese ; Tokyo ; Tokyo
KE ; République du Kenya ; ; kényan|kenyan ; Kenyan ; Nairobi ; Nairobi
KG ; Kirghizistan|Kirghizie|République kirghize ; Kirghizia ; kirghize|kirghizistanais|kirghizstanais ; !Kyrgyz|Kyrgyzstani ; Bichkek ; Bishkek
KH ; Royaume du Cambodge ; ; cambodgien ; Cambodian ; Phnom Penh ; Phnom Penh
KI ; République de Kiribati ; ; kiribatien ; !I-Kiribati ; Tarawa|Tarawa-Sud ; Tarawa|South Tarawa
KM ; Union des Comores ; ; comorien ; Comorian|Comoran ; Moroni ; Moroni
KN ; Saint-Kitts-et-Nevis ; St Kitts and Nevis ; kittitien ; Kittitian|Nevisian ; Basseterre ; Basseterre
KP ; République populaire démocratique de Corée|RPDC ; DPRK|D.P.R.K. ; nord-coréen ; North Korean ; Pyongyang ; Pyongyang
KR ; République de Corée ; ROK ; sud-coréen ; South Korean ; Séoul ; Seoul
KW ; État du Koweït ; ; koweïtien ; Kuwaiti ; Koweït ; Kuwait City
KY ; Caïmans|Îles Caïman ; Caymans ; caïmanien ; Caymanian ; George Town ; George Town
KZ ; République du Kazakhstan ; ; kazakhstanais|kazakh ; Kazakhstani|Kazakh ; Astana ; Astana
LA ; République démocratique populaire lao ; Lao PDR ; laotien|!lao ; Laotian|!Lao ; Vientiane ; Vientiane
LB ; République libanaise ; ; libanais ; Lebanese ; Beyrouth ; Beirut
LC ; ; ; saint-lucien ; Saint Lucian ; Castries ; Castries
LI ; Principauté de Liechtenstein ; ; liechtensteinois ; Liechtensteiner ; Vaduz ; Vaduz
LK ; République socialiste démocratique de Sri Lanka|Ceylan ; Ceylon ; sri-lankais|srilankais ; Sri Lankan ; Sri Jayawardenapura Kotte|Colombo ; Sri Jayawardenepura Kotte|Colombo
LR ; République du Liberia|Libéria ; ; libérien ; Liberian ; Monrovia ; Monrovia
LS ; Royaume du Lesotho ; ; lésothien ; !Basotho|!Mosotho ; Maseru ; Maseru
LT ; République de Lituanie ; ; lituanien ; Lithuanian ; Vilnius ; Vilnius
LU ; Grand-Duché de Luxembourg ; ; luxembourgeois ; Luxembourgish|Luxembourger ; Luxembourg ; Luxembourg
LV ; République de Lettonie ; ; !letton|!lettone|!lettonne|!lettons|!lettones|!lettonnes ; Latvian ; Riga ; Riga
LY ; État de Libye ; State of Libya ; libyen ; Libyan ; Tripoli ; Tripoli
MA ; Royaume du Maroc|Royaume chérifien ; ; marocain|chérifien ; Moroccan ; Rabat ; Rabat
MC ; Principauté de Monaco ; ; monégasque ; Monegasque|Monacan ; Monaco ; Monaco
MD ; République de Moldavie|Moldova ; Moldavia ; moldave ; Moldovan ; Chisinau|Chișinău ; Chișinău
ME ; ; ; monténégrin ; Montenegrin ; Podgorica ; Podgorica
MF ; Saint-Martin (partie française) ; Saint-Martin ; saint-martinois ; ; Marigot ; Marigot
MG ; République de Madagascar ; ; malgache ; !Malagasy ; Antananarivo|Tananarive ; Antananarivo
MH ; République des Îles Marshall ; ; marshallais ; Marshallese ; Majuro ; Majuro
MK ; Macédoine|République de Macédoine du Nord ; Macedonia ; macédonien|nord-macédonien ; Macedonian|North Macedonian ; Skopje ; Skopje
ML ; République du Mali ; ; malien ; Malian ; Bamako ; Bamako
MM ; République de l'Union du Myanmar ; ; birman ; Burmese ; Naypyidaw|Naypyitaw|Nay Pyi Taw ; Naypyidaw|Naypyitaw|Nay Pyi Taw
MN ; ; ; mongol ; Mongolian ; Oulan-Bator ; Ulaanbaatar|Ulan Bator
MO ; Macao|Macau ; Macao|Macau|Macao SAR ; macanais ; Macanese ; Macao ; Macao|Macau
MP ; Mariannes du Nord ; Northern Marianas ; ; ; Saipan ; Saipan
MQ ; ; ; martiniquais ; Martinican ; Fort-de-France ; Fort-de-France
MR ; République islamique de Mauritanie ; ; mauritanien ; Mauritanian ; Nouakchott ; Nouakchott
MS ; ; ; montserratien ; Montserratian ; Plymouth|Brades ; Plymouth|Brades
MT ; République de Malte ; ; maltais ; Maltese ; La Valette|Valette ; Valletta
MU ; Île Maurice|République de Maurice ; ; mauricien ; Mauritian ; Port-Louis ; Port Louis
MV ; République des Maldives ; ; maldivien ; Maldivian ; Malé ; Malé
MW ; République du Malawi ; ; malawite|malawien ; Malawian ; Lilongwe ; Lilongwe
MX ; États-Unis mexicains ; ; mexicain ; Mexican ; Mexico ; Mexico City
MY ; ; ; malaisien ; Malaysian ; Kuala Lumpur|Putrajaya ; Kuala Lumpur|Putrajaya
MZ ; République du Mozambique ; ; mozambicain ; Mozambican ; Maputo ; Maputo
NA ; République de Namibie ; ; namibien ; Namibian ; Windhoek ; Windhoek
NC ; Kanaky ; Kanaky ; néo-calédonien ; New Caledonian ; Nouméa ; Nouméa
NE ; République du Niger ; Republic of Niger ; nigérien ; Nigerien ; Niamey ; Niamey
NF ; ; ; ; ; ;
NG ; République fédérale du Nigeria|Nigéria ; ; nigérian ; Nigerian ; Abuja ; Abuja
NI ; République du Nicaragua ; ; nicaraguayen ; Nicaraguan ; Managua ; Managua
NL ; Hollande|Royaume des Pays-Bas ; Holland|The Netherlands ; néerlandais|hollandais ; !Dutch|Dutchman|Dutchwoman ; Amsterdam ; Amsterdam
NO ; Royaume de Norvège ; ; norvégien ; Norwegian ; Oslo ; Oslo
NP ; République fédérale démocratique du Népal ; ; népalais ; Nepali|!Nepalese ; Katmandou ; Kathmandu
NR ; République de Nauru ; ; nauruan ; Nauruan ; Yaren ; Yaren
NU ; Niué ; ; niuéen ; Niuean ; Alofi ; Alofi
NZ ; ; Aotearoa ; néo-zélandais ; New Zealander ; Wellington ; Wellington
OM ; Sultanat d'Oman ; ; omanais ; Omani ; Mascate ; Muscat
PA ; République du Panama ; ; panaméen ; Panamanian ; Panama ; Panama City
PE ; République du Pérou ; ; péruvien ; Peruvian ; Lima ; Lima
PF ; Polynésie ; ; polynésien ; French Polynesian ; Papeete ; Papeete
PG ; État indépendant de Papouasie-Nouvelle-Guinée ; PNG ; !papouan-néo-guinéen|!papouane-néo-guinéenne|!papouans-néo-guinéens|!papouanes-néo-guinéennes ; Papua New Guinean ; Port Moresby ; Port Moresby
PH ; République des Philippines ; ; philippin ; Filipino|Filipina|!Philippine ; Manille ; Manila
PK ; République islamique du Pakistan ; ; pakistanais ; Pakistani ; Islamabad ; Islamabad
PL ; République de Pologne ; ; polonais ; !Polish|Pole ; Varsovie ; Warsaw
PM ; ; ; saint-pierrais ; ; Saint-Pierre ; Saint-Pierre
PN ; ; ; pitcairnais ; Pitcairner ; Adamstown ; Adamstown
PR ; Puerto Rico ; ; portoricain ; Puerto Rican ; San Juan ; San Juan
PS ; Palestine|État de Palestine|Territoires palestiniens occupés ; Palestine|Palestinian territories|Occupied Palestinian Territories ; palestinien ; Palestinian ; Ramallah|Jérusalem-Est ; Ramallah|East Jerusalem
PT ; République portugaise ; ; portugais ; Portuguese ; Lisbonne ; Lisbon
PW ; Palau|République des Palaos ; ; palaois|paluan ; Palauan ; Ngerulmud|Melekeok ; Ngerulmud
PY ; République du Paraguay ; ; paraguayen ; Paraguayan ; Asuncion|Asunción ; Asunción
QA ; État du Qatar ; ; qatarien|!qatari|!qatarie|!qataris|!qataries ; Qatari ; Doha ; Doha
RE ; Réunion|île de la Réunion ; La Réunion ; réunionnais ; !Réunionese ; Saint-Denis ; Saint-Denis
RO ; ; ; roumain ; Romanian ; Bucarest ; Bucharest
RS ; République de Serbie ; ; serbe ; Serbian|Serb ; Belgrade ; Belgrade
RU ; Fédération de Russie ; Russia ; russe ; Russian ; Moscou ; Moscow
RW ; République du Rwanda ; ; rwandais ; Rwandan|!Rwandese ; Kigali ; Kigali
SA ; Arabie Saoudite|Royaume d'Arabie saoudite ; KSA ; saoudien ; Saudi|Saudi Arabian ; Riyad|Riyadh ; Riyadh
SB ; Salomon ; Solomons ; salomonais ; Solomon Islander ; Honiara ; Honiara
SC ; République des Seychelles ; ; seychellois ; !Seychellois ; Victoria ; Victoria
SD ; République du Soudan ; ; soudanais ; Sudanese ; Khartoum|Port-Soudan ; Khartoum|Port Sudan
SE ; Royaume de Suède ; ; suédois ; !Swedish|Swede ; Stockholm ; Stockholm
SG ; République de Singapour ; ; singapourien ; Singaporean ; Singapour ; Singapore
SH ; Sainte-Hélène, Ascension et Tristan da Cunha ; Saint Helena|St Helena ; ; Saint Helenian ; Jamestown ; Jamestown
SI ; République de Slovénie ; ; slovène ; Slovenian|Slovene ; Ljubljana ; Ljubljana
SJ ; Svalbard ; Svalbard ; ; ; Longyearbyen ; Longyearbyen
SK ; République slovaque ; ; slovaque ; Slovak|Slovakian ; Bratislava ; Bratislava
SL ; République de Sierra Leone ; ; sierra-léonais|sierraléonais ; Sierra Leonean ; Freetown ; Freetown
SM ; République de Saint-Marin ; ; saint-marinais ; Sammarinese ; Saint-Marin ; San Marino
SN ; République du Sénégal ; ; sénégalais ; Senegalese ; Dakar ; Dakar
SO ; République fédérale de Somalie ; ; somalien ; Somali|Somalian ; Mogadiscio|Mogadishu ; Mogadishu
SR ; République du Suriname|Surinam ; Surinam ; surinamais ; Surinamese ; Paramaribo ; Paramaribo
SS ; République du Soudan du Sud|Sud-Soudan ; ; sud-soudanais ; South Sudanese ; Djouba|Juba ; Juba
ST ; São Tomé-et-Príncipe ; São Tomé and Príncipe ; santoméen ; Santomean ; Sao Tomé|São Tomé ; São Tomé
SV ; El Salvador|République d'El Salvador ; ; salvadorien ; Salvadoran|Salvadorean ; San Salvador ; San Salvador
SX ; Sint Maarten ; ; ; ; Philipsburg ; Philipsburg
SY ; République arabe syrienne ; ; syrien ; Syrian ; Damas ; Damascus
SZ ; Swaziland|Royaume d'Eswatini ; Swaziland ; eswatinien|!swazi|!swazie|!swazis|!swazies ; Swazi|!Emaswati ; Mbabane|Lobamba ; Mbabane|Lobamba
TC ; Turks-et-Caïcos ; Turks and Caicos ; ; Turks and Caicos Islander ; Cockburn Town ; Cockburn Town
TD ; République du Tchad ; ; tchadien ; Chadian ; N'Djamena|Ndjamena ; N'Djamena|Ndjamena
TF ; TAAF|Terres australes et antarctiques françaises ; French Southern and Antarctic Lands|TAAF ; ; ; Port-aux-Français ; Port-aux-Français
TG ; République togolaise ; ; togolais ; Togolese ; Lomé ; Lomé
TH ; Royaume de Thaïlande ; ; thaïlandais|!thaï|!thaïe|!thaïs|!thaïes ; Thai ; Bangkok ; Bangkok
TJ ; République du Tadjikistan ; ; tadjik|tadjikistanais ; Tajik|Tajikistani ; Douchanbé ; Dushanbe
TK ; ; ; tokélaouan ; Tokelauan ; ;
TL ; Timor-Leste|République démocratique du Timor-Leste ; East Timor ; est-timorais ; East Timorese|Timorese ; Dili ; Dili
TM ; ; ; turkmène ; Turkmen ; Achgabat ; Ashgabat
TN ; République tunisienne ; ; tunisien ; Tunisian ; Tunis ; Tunis
TO ; Royaume des Tonga ; ; tongien ; Tongan ; Nukuʻalofa ; Nukuʻalofa
TR ; République de Turquie|Türkiye ; Turkey ; !turc|!turque|!turcs|!turques ; !Turkish|Turk ; Ankara ; Ankara
TT ; ; ; trinidadien ; Trinidadian|Tobagonian ; Port-d'Espagne ; Port of Spain
TV ; ; ; tuvaluan ; Tuvaluan ; Funafuti ; Funafuti
TW ; Taiwan|République de Chine|Formose ; Republic of China|ROC ; taïwanais ; !Taiwanese ; Taipei|Taïpei ; Taipei
TZ ; République unie de Tanzanie ; ; tanzanien ; Tanzanian ; Dodoma|Dar es Salaam ; Dodoma|Dar es Salaam
UA ; ; ; ukrainien ; Ukrainian ; Kiev|Kyiv|Kyïv ; Kyiv|Kiev
UG ; République de l'Ouganda ; ; ougandais ; Ugandan ; Kampala ; Kampala
UM ; ; U.S. Minor Outlying Islands ; ; ; ;
US ; USA|États-Unis d'Amérique ; US|U.S.|USA|U.S.A.|United States of America|America ; américain|états-unien|étasunien ; American ; Washington ; Washington|Washington, D.C.|Washington DC
UY ; République orientale de l'Uruguay ; ; uruguayen ; Uruguayan ; Montevideo ; Montevideo
UZ ; République d'Ouzbékistan ; ; !ouzbek|!ouzbèke|!ouzbeks|!ouzbèkes|ouzbékistanais ; Uzbek|Uzbekistani ; Tachkent ; Tashkent
VA ; Vatican|Saint-Siège|Cité du Vatican ; Holy See|Vatican|Vatican City State ; vatican ; ; Vatican ; Vatican City
VC ; Saint-Vincent-et-les-Grenadines ; St Vincent and the Grenadines ; saint-vincentais ; Vincentian ; Kingstown ; Kingstown
VE ; République bolivarienne du Venezuela|Vénézuéla ; ; vénézuélien ; Venezuelan ; Caracas ; Caracas
VG ; ; BVI ; ; ; Road Town ; Road Town
VI ; ; USVI ; ; ; Charlotte Amalie ; Charlotte Amalie
VN ; Vietnam|Viet Nam|République socialiste du Viêt Nam ; Viet Nam ; vietnamien ; Vietnamese ; Hanoï|Hanoi ; Hanoi
VU ; République de Vanuatu ; ; vanuatais ; !Ni-Vanuatu ; Port-Vila ; Port Vila
WF ; ; ; wallisien|!futunien|!futunienne|!futuniens|!futuniennes ; Wallisian|Futunan ; Mata-Utu ; Mata-Utu
WS ; État indépendant du Samoa ; Western Samoa ; samoan ; Samoan ; Apia ; Apia
YE ; République du Yémen ; ; yéménite ; Yemeni|Yemenite ; Sanaa|Sanaâ|Aden ; Sanaa|Sana'a|Aden
YT ; ; ; mahorais ; Mahoran ; Mamoudzou ; Mamoudzou
ZA ; République d'Afrique du Sud ; RSA ; sud-africain ; South African ; Pretoria|Le Cap ; Pretoria|Cape Town
ZM ; République de Zambie ; ; zambien ; Zambian ; Lusaka ; Lusaka
ZW ; République du Zimbabwe ; ; zimbabwéen ; Zimbabwean ; Harare ; Harare
"""

# French names whose usual press form leads instead of the CLDR name.
FR_LEAD = {"CD": ["RDC", "République démocratique du Congo"], "CF": ["Centrafrique"]}
# CLDR names of the form "X (Y)" that name the same country twice.
PAREN_SPLIT = {"MM"}
# ISO 3166 short/official names that contain a comma are inverted catalogue
# forms ("Korea, Republic of"); they are skipped except for true lists.
COMMA_OK = {"BQ", "SH"}


def uniq(seq):
    out, seen = [], set()
    for s in seq:
        s = s.strip()
        if s and s not in seen:
            seen.add(s)
            out.append(s)
    return out


def straight(s):
    return s.replace("\u2019", "'").replace("\u02bb", "'").replace("\u2018", "'")


def deaccent(s):
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", s)


def with_variants(names):
    out = []
    for n in names:
        out += [n, straight(n), deaccent(n), deaccent(straight(n))]
    return uniq(out)


def fr_inflect(tok):
    if tok.startswith("!"):
        return [tok[1:]]
    m = tok
    if m.endswith("e"):
        return [m, m + "s"]
    if m.endswith("en"):
        f = m + "ne"
    else:
        f = m + "e"
    mp = m if m[-1] in "sxz" else m + "s"
    return [m, f, mp, f + "s"]


def en_inflect(tok):
    if tok.startswith("!"):
        return [tok[1:]]
    if tok.endswith(("hman", "woman")):  # Frenchman, Irishwoman (not German)
        return [tok, tok[:-3] + "men"]
    if tok.endswith(("ese", "ish", "ss")):
        return [tok]
    return [tok, tok + "s"]


def split_bar(s):
    return [x.strip() for x in s.split("|") if x.strip()]


def parse_hand():
    table = {}
    for line in HAND.strip().splitlines():
        parts = [p.strip() for p in line.split(";")]
        if len(parts) != 7:
            sys.exit("bad HAND line (need 7 fields): %r" % line)
        iso2 = parts[0]
        if iso2 in table:
            sys.exit("duplicate HAND line: " + iso2)
        table[iso2] = parts[1:]
    return table


def en_cldr_variants(name):
    out = []
    if "&" in name:
        out.append(name.replace("&", "and"))
    if name.startswith("St. "):
        for v in list(out) + [name]:
            out.append("Saint " + v[4:])
            out.append("St " + v[4:])
    return out


def paren_split(name):
    head, _, rest = name.partition(" (")
    return [head, rest.rstrip(")")]


def main():
    en, fr = Locale("en"), Locale("fr")
    hand = parse_hand()
    isos = sorted(pycountry.countries, key=lambda c: c.alpha_2)
    codes = {c.alpha_2 for c in isos}
    missing = codes - set(hand)
    extra = set(hand) - codes
    if missing or extra:
        sys.exit("HAND table mismatch: missing=%s extra=%s" % (sorted(missing), sorted(extra)))

    rows = []
    for c in isos:
        a2 = c.alpha_2
        fr_extra, en_alt, adj_fr, adj_en, cap_fr, cap_en = hand[a2]
        name_en = en.territories[a2]
        name_fr = fr.territories[a2]

        # --- French names: CLDR first (or the usual press form), then hand list.
        fr_names = paren_split(name_fr) if a2 in PAREN_SPLIT else [name_fr]
        fr_names += split_bar(fr_extra)
        if a2 in FR_LEAD:
            fr_names = FR_LEAD[a2] + fr_names
        fr_names = with_variants(uniq(fr_names))

        # --- English alternates: hand list, CLDR-derived, ISO names.
        alt = split_bar(en_alt)
        if a2 in PAREN_SPLIT:
            alt += paren_split(name_en)
        alt += en_cldr_variants(name_en)
        for n in (c.name, getattr(c, "common_name", ""), getattr(c, "official_name", "")):
            if not n:
                continue
            if n.startswith("the "):
                n = n[4:]
            if ", " in n and a2 not in COMMA_OK:
                continue
            alt.append(n)
        alt = [n for n in with_variants(uniq(alt)) if n != name_en]

        adjf = []
        for t in split_bar(adj_fr):
            adjf += fr_inflect(t)
        adjf = with_variants(uniq(adjf))
        adje = []
        for t in split_bar(adj_en):
            adje += en_inflect(t)
        adje = with_variants(uniq(adje))

        capf = with_variants(split_bar(cap_fr))
        cape = with_variants(split_bar(cap_en))

        row = [a2, c.alpha_3, name_en, "|".join(fr_names), "|".join(alt),
               "|".join(adjf), "|".join(adje), "|".join(capf), "|".join(cape)]
        for f in row:
            if "\t" in f or "\n" in f:
                sys.exit("tab/newline in field: %r" % f)
        rows.append(row)

    header = [
        "# name: countries (ISO 3166-1 country gazetteer, French and English)",
        "# source: ISO 3166-1 alpha-2/alpha-3 codes and ISO English short/official names: pycountry %s"
        % pycountry_version(),
        "#   (Debian iso-codes data). name_en and the CLDR entry of names_fr: Unicode CLDR %s territory"
        % get_cldr_version(),
        "#   display names, locales en and fr, read through Babel %s." % babel.__version__,
        "#   French alternative/long names, capitals (capital_fr) and gentilés (adj_fr): compiled by hand",
        "#   following the Arrêté du 4 novembre 1993 relatif à la terminologie des noms d'États et de",
        "#   capitales (JORF 25 janvier 1994; names and capitals), the Commission générale de terminologie",
        "#   et de néologie 'Recommandation concernant les noms d'États, d'habitants, de capitales, de sièges",
        "#   diplomatiques ou consulaires' (JORF 24 septembre 2008, updated JORF 21 avril 2019; source of",
        "#   the gentilés) and the CNIG Commission nationale de toponymie list of country and capital",
        "#   names; plus forms current in the French-language press (RDC, Centrafrique, Kiev/Kyiv...).",
        "#   Hand entries are a compilation, not a verbatim extract of those texts.",
        "#   English alternates, demonyms (adj_en) and capital_en: compiled by hand from common English",
        "#   usage (Wikipedia country articles, wire-service style). Variants without diacritics and with",
        "#   straight apostrophes are generated mechanically.",
        "# generator: resources/gazetteers/tools/gen_countries.py (python3 + pip babel pycountry); do not edit",
        "#   this file by hand, edit the HAND table in the generator and rerun it.",
        "# licence: CLDR-derived names: Unicode License v3 (© Unicode, Inc.); ISO 3166-1 codes are facts",
        "#   (pycountry / iso-codes data, LGPL-2.1-or-later); hand-compiled columns: CC0-1.0.",
        "# columns: iso2\tiso3\tname_en\tnames_fr\tnames_en_alt\tadj_fr\tadj_en\tcapital_fr\tcapital_en",
        "#   multi-valued columns are '|'-separated; names_fr carries no article; adj_fr is lowercase,",
        "#   all genders and numbers; an empty column means no value (e.g. uninhabited territories).",
        "# notes: names_fr starts with the CLDR name, except CD (RDC) and CF (Centrafrique) where the",
        "#   usual press form leads. Ambiguities kept on purpose: 'congolais'/'Congolese' for both CD and",
        "#   CG; bare 'coréen'/'Korean' omitted (use sud-/nord-); 'Congo' alone is listed for CG only.",
        "#   Disputed capitals: IL lists Jérusalem and Tel-Aviv; PS lists Ramallah and Jérusalem-Est.",
    ]
    with open(OUT, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(header) + "\n")
        for r in rows:
            fh.write("\t".join(r) + "\n")
    print("wrote %d rows to %s" % (len(rows), os.path.normpath(OUT)))


def pycountry_version():
    try:
        from importlib.metadata import version
        return version("pycountry")
    except Exception:  # pragma: no cover
        return "unknown"


if __name__ == "__main__":
    main()
