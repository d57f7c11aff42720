/**
 * Words the lexical embedder drops before feature extraction, and both stores' BM25 query
 * builders leave out of a query (query-words.ts; they match nearly every intention) (matched on the lowercased surface form). Besides
 * function words this includes the intention template ("because they want/need to") and ubiquitous shopping verbs
 * (buy, get, go) that would otherwise make unrelated steps and intentions look alike. The WordNet embedder drops
 * the same words (wordnet/analyzer.ts, wordnet/information.ts).
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a an the this that these those some any each every all both either neither such own
  and or but nor so yet if then than as because since while when whenever where wherever whether though although
  of to in on at by for with without from into onto upon about above below over under between through during
  before after against among around off up out via per
  i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself she her hers
  herself it its itself they them their theirs themselves one ones someone something anyone anything
  is am are was were be been being do does did doing done have has had having
  will would shall should can could may might must ought
  want wants wanted wanting need needs needed needing like likes wish wishes
  not no nor very too just also only even still again more most much many less least few
  what which who whom whose how why here there
  go goes going went gone get gets getting got buy buys buying bought gonna wanna able sure really`
    .split(/\s+/)
    .filter((w) => w.length > 0),
);
