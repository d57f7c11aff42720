/**
 * WordNet pointer symbols grouped into the relation kinds the embedder uses. Antonyms, region and
 * usage domains are dropped: they carry opposition or register, not relatedness of use.
 * A plain object of numbers rather than an enum: relations are stored as bytes (WordNet.ptrRelation)
 * and compared with these values as numbers.
 */
export const Relation = {
  Other: 0,
  Hypernym: 1,
  Hyponym: 2,
  /** Part, member and substance holonyms and meronyms ("tent" has-part "tent-fly"). */
  PartWhole: 3,
  /** Derivationally related forms, pertainyms, participles ("camping" <-> "camp" (v)). */
  Derivation: 4,
  /** Topic domains and their members ("pitch" (v) <-> "camping"). */
  Domain: 5,
  /** Similar-to, also-see, verb groups, attributes. */
  Similar: 6,
  /** Verb entailment and cause ("snore" entails "sleep"). */
  Entailment: 7,
} as const;
export type Relation = (typeof Relation)[keyof typeof Relation];

export function relationOf(symbol: string): Relation {
  switch (symbol) {
    case '@':
    case '@i':
      return Relation.Hypernym;
    case '~':
    case '~i':
      return Relation.Hyponym;
    case '#m':
    case '#s':
    case '#p':
    case '%m':
    case '%s':
    case '%p':
      return Relation.PartWhole;
    case '+':
    case '\\':
    case '<':
      return Relation.Derivation;
    case ';c':
    case '-c':
      return Relation.Domain;
    case '&':
    case '^':
    case '$':
    case '=':
      return Relation.Similar;
    case '*':
    case '>':
      return Relation.Entailment;
    default:
      return Relation.Other;
  }
}
