/**
 * Past forms of common irregular English verbs, mapped to the base form before stemming, so that
 * "Who wrote the letter?" meets "has written a letter" and "held" meets "hold". The Porter stemmer
 * only strips regular suffixes. Forms that are also common other words are left out on purpose.
 */
/** Forms that are more often another word than the past of the verb listed ("found" a company, "left" wing). */
const SHARED_FORMS: ReadonlySet<string> = new Set(['bound', 'lay', 'rose', 'saw', 'spoke', 'bit', 'wound', 'found', 'left', 'ground', 'fell', 'felt', 'lead']);

const IRREGULAR = new Map<string, string>(
  `arise arose arisen|awake awoke awoken|be was were been|beat beat beaten|become became become|begin began begun
  bend bent bent|bet bet bet|bind bound bound|bite bit bitten|bleed bled bled|blow blew blown|break broke broken
  breed bred bred|bring brought brought|build built built|burn burnt burnt|buy bought bought|catch caught caught
  choose chose chosen|cling clung clung|come came come|creep crept crept|deal dealt dealt|dig dug dug|do did done
  draw drew drawn|dream dreamt dreamt|drink drank drunk|drive drove driven|eat ate eaten|feed fed fed|fight fought fought
  flee fled fled|fly flew flown|forbid forbade forbidden|forget forgot forgotten|forgive forgave forgiven|freeze froze frozen
  get got gotten|give gave given|go went gone|grow grew grown|hang hung hung|have had had|hear heard heard|hide hid hidden
  hold held held|keep kept kept|kneel knelt knelt|know knew known|lay laid laid|lend lent lent|lose lost lost
  make made made|mean meant meant|meet met met|overcome overcame overcome|pay paid paid|prove proved proven|ride rode ridden
  ring rang rung|rise rose risen|run ran run|say said said|see saw seen|seek sought sought|sell sold sold|send sent sent
  shake shook shaken|shine shone shone|shoot shot shot|show showed shown|shrink shrank shrunk|sing sang sung|sink sank sunk
  sit sat sat|slay slew slain|sleep slept slept|slide slid slid|speak spoke spoken|speed sped sped|spend spent spent
  spin spun spun|spread spread spread|spring sprang sprung|stand stood stood|steal stole stolen|stick stuck stuck
  sting stung stung|stink stank stunk|strike struck stricken|strive strove striven|swear swore sworn|sweep swept swept
  swim swam swum|swing swung swung|take took taken|teach taught taught|tear tore torn|tell told told|think thought thought
  throw threw thrown|tread trod trodden|undergo underwent undergone|understand understood understood|undertake undertook undertaken
  wake woke woken|wear wore worn|weave wove woven|weep wept wept|win won won|withdraw withdrew withdrawn|write wrote written
  wind wound wound|overthrow overthrew overthrown|forsake forsook forsaken|mistake mistook mistaken`
    .split(/[|\n]/)
    .flatMap((entry) => {
      const [base = '', ...forms] = entry.trim().split(/\s+/);
      return forms.filter((form) => form !== base && !SHARED_FORMS.has(form)).map((form): [string, string] => [form, base]);
    }),
);

/** The base form of an irregular past form ("wrote" → "write"); other words unchanged. */
export function baseForm(word: string): string {
  return IRREGULAR.get(word) ?? word;
}
