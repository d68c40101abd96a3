import type { Features } from './features';
import { INTENTS, type Intent } from './intent.types';
import { Cue } from './lexicon';
import { phoneticKey } from './phonetic-key';

/**
 * Weighted evidence rules. Each rule that holds adds its weight to one intent; the intent with
 * the most evidence wins and the gap to the runner-up drives the confidence. Weights are on a
 * rough scale where ~3 means "a person would bet on this intent from this clue alone".
 * Rules are about meaning, not about particular messages: e.g. a sell verb in the past is a
 * sale to record unless the message asks something ("vendí 2 cocas" vs "¿cuánto vendí?").
 */
export interface Rule {
  readonly intent: Intent;
  readonly weight: number;
  /** Why the rule exists; shown when debugging a classification. */
  readonly why: string;
  readonly when: (f: Features) => boolean;
}

const has = (f: Features, cue: Cue): boolean => f.counts[cue] > 0;
const any = (f: Features, ...cues: Cue[]): boolean => cues.some((cue) => f.counts[cue] > 0);

const SUPPLIER = new Set(['proveedor', 'proveedores', 'repartidor', 'surtidor'].map(phoneticKey));
const THE = new Set(['el', 'los'].map(phoneticKey));
const OF = phoneticKey('de');
/**
 * "el proveedor se llevó 3 leches vencidas", "el de sabritas se llevó 5 bolsas caducadas": the
 * supplier (or "el de <marca>", the brand's driver) took spoiled stock back, not a sale.
 */
const supplierTookBack = (f: Features): boolean => {
  if (!has(f, Cue.CustomerBought) || !has(f, Cue.Loss) || has(f, Cue.SellPast)) return false;
  for (let i = 0; i < f.count; i++) {
    if (SUPPLIER.has(f.tokens[i].key)) return true;
    if (THE.has(f.tokens[i].key) && i + 2 < f.count && f.tokens[i + 1].key === OF) return true;
  }
  return false;
};
/** "cómo quito las cucarachas": a how-to whose object is the outside world, not the bot. */
const botHowTo = (f: Features): boolean => f.howToBot && !any(f, Cue.Advice, Cue.Pest);
/** Who buys at a shop's counter: "un señor", "la vecina", "un chavo", "alguien". */
const BUYERS = new Set(
  [
    'senor',
    'senora',
    'senorita',
    'cliente',
    'clienta',
    'chavo',
    'chava',
    'chavito',
    'chavita',
    'vecino',
    'vecina',
    'muchacho',
    'muchacha',
    'chamaco',
    'chamaca',
    'morro',
    'morra',
    'nino',
    'nina',
    'chiquillo',
    'don',
    'dona',
    'doncito',
    'seno',
    'guero',
    'guera',
    'alguien',
    'persona',
    'senores',
    'senoras',
    'chavos',
    'muchachos',
    'ninos',
    'viejito',
    'viejita',
    'abuelito',
    'abuelita',
    'albanil',
    'albaniles',
  ].map(phoneticKey),
);
const buyerNamed = (f: Features): boolean => {
  for (let i = 0; i < f.count; i++) if (BUYERS.has(f.tokens[i].key)) return true;
  return false;
};
/**
 * "un señor compró 6 modelos", "vino la vecina y compró 2 leches": "compró" with a buyer named
 * is a customer's purchase, a sale; "compré 24 cocas" (the owner, from a supplier) is stock in.
 */
const customerBought = (f: Features): boolean =>
  has(f, Cue.BoughtThird) && buyerNamed(f) && !any(f, Cue.Return, Cue.Restock);
/** Stock arrived, not counting "compró" when a customer bought it. */
const arrived = (f: Features): boolean =>
  f.counts[Cue.Arrive] > (customerBought(f) ? f.counts[Cue.BoughtThird] : 0);
/** "un ratero se llevó 2 cervezas sin pagar": "se llevó" with a theft word is a loss, not a sale. */
const soldSomething = (f: Features): boolean =>
  (any(f, Cue.SellPast, Cue.CustomerBought) || customerBought(f)) &&
  !supplierTookBack(f) &&
  !(has(f, Cue.Theft) && !has(f, Cue.SellPast));
const stockChangeVerb = (f: Features): boolean =>
  any(f, Cue.Add, Cue.Remove, Cue.SetStock, Cue.Change, Cue.Put, Cue.Lower);
/** "ajusta la coca a 30" sets the stock; it is a price only with a price word or a real price. */
const priceChangeVerb = (f: Features): boolean =>
  any(f, Cue.Raise, Cue.Lower, Cue.Put, Cue.Change) ||
  (has(f, Cue.SetStock) && (f.strongPrice || has(f, Cue.PriceNoun)));
/** Stock moved without a stock verb: arrived, lost, counted, returned, eaten at home. */
const stockEvent = (f: Features): boolean =>
  arrived(f) || any(f, Cue.Loss, Cue.Count, Cue.Return, Cue.Consume);
const aboutTokens = (f: Features): boolean => any(f, Cue.Tokens, Cue.Package);
/** "de maruchan quedan 12, actualízalo": a count told with an order to fix it. */
const remainStated = (f: Features): boolean =>
  any(f, Cue.Remain, Cue.Have) &&
  any(f, Cue.SetStock, Cue.Correction) &&
  f.numbers > 0 &&
  !f.question &&
  !f.strongPrice;
/** "la leche lala quedó en 29 pesos": a price settled, not what is left. */
const priceSettled = (f: Features): boolean =>
  has(f, Cue.Remain) && f.strongPrice && !f.question && f.quantity === 0 && f.contentCount > 0;
/** A price moved or named ("ya subió", "bájale", "precio", "$18", "18 pesos", "32 el kilo"). */
const priceEvidence = (f: Features): boolean =>
  f.strongPrice || any(f, Cue.PriceNoun, Cue.Raise, Cue.Lower, Cue.CostVerb, Cue.NewPrice);
/** Words that make a number a count ("piezas", "hay", "quedan", "conté", "inventario"). */
const countEvidence = (f: Features): boolean =>
  f.quantity === 2 ||
  arrived(f) ||
  any(f, Cue.StockNoun, Cue.Have, Cue.Remain, Cue.Count, Cue.InTotal, Cue.Loss);
/**
 * "deja las maruchan en 16", "pon el fabuloso en 8": a product put at a bare number, with no
 * price word and no count word. Read as a stock count (the write phrases' convention: "a N" is a
 * price, "en N" a count), but a price is as likely, so a runner-up keeps it unsure.
 */
const bareSetTarget = (f: Features): boolean =>
  any(f, Cue.SetStock, Cue.Put) &&
  f.setTarget &&
  f.contentCount > 0 &&
  !f.question &&
  !f.priceMention &&
  !priceEvidence(f) &&
  !countEvidence(f) &&
  !any(f, Cue.SaleNoun, Cue.SellPast, Cue.SoldParticiple);
const moneyInFlow = (f: Features): boolean => any(f, Cue.Cash, Cue.Money);
/** "cuánto me costó lo que vendí", "el costo de la mercancía vendida": cost of goods sold. */
const costOfSold = (f: Features): boolean =>
  has(f, Cue.CostToMe) && any(f, Cue.SellPast, Cue.SoldParticiple, Cue.SaleNoun);
const MANAGE_VERBS_LIST = [
  ...['llevar', 'llevarme', 'manejar', 'manejarme', 'controlar', 'controlarme', 'administrar'],
  ...['administrarme', 'guardar', 'guardarme', 'gestionar', 'organizar'],
];
const SELLING = [Cue.SellInfinitive, Cue.SellPresent, Cue.SellPast] as const;
/** Phone-company top-ups the shop sells ("recargas telcel"), not the bot's tokens. */
const CARRIERS = new Set(
  ['telcel', 'movistar', 'att', 'unefon', 'bait', 'virgin', 'celular', 'celulares'].map(
    phoneticKey,
  ),
);
const aboutCarrier = (f: Features): boolean => {
  for (let i = 0; i < f.count; i++) if (CARRIERS.has(f.tokens[i].key)) return true;
  return false;
};
/**
 * "se puede pagar la recarga en oxxo?", "ya hice la recarga pero no me aparece": paying for the
 * bot's tokens or a package, or a top-up that has not shown up. Payment words (oxxo, tarjeta)
 * are advice words on their own ("¿acepto tarjeta?"); next to token words they are a top-up.
 */
const payingTokens = (f: Features): boolean =>
  aboutTokens(f) && any(f, Cue.Payment, Cue.NotShowing) && !any(f, ...SELLING) && !aboutCarrier(f);
/** "¿puedes ...?", "¿sabes ...?", "¿podrías ...?": asks the bot whether it can. */
const CAN_YOU = new Set(
  [
    ...['puedes', 'podrias', 'podras', 'puede', 'podria', 'sabes', 'sabrias'],
    // "¿puedo agregar a mi esposa?", "¿podemos usarlo dos?": whether the user can, with the bot.
    ...['puedo', 'podemos'],
  ].map(phoneticKey),
);
const asksBotCan = (f: Features): boolean => {
  for (let i = 0; i < f.count; i++) if (CAN_YOU.has(f.tokens[i].key)) return true;
  return has(f, Cue.Capability) || servesFor(f);
};
/**
 * "¿puedes llevar mi inventario?", "¿sabes controlar las ventas?": asks whether the bot does a
 * kind of bookkeeping, with no product or number (not "¿puedes anotar 2 cocas?", a request).
 */
const asksFeature = (f: Features): boolean =>
  asksBotCan(f) &&
  // "¿sirve para apuntar el fiado?" (not "¿puedes anotar la venta?", a request).
  (has(f, Cue.Manage) || (servesFor(f) && has(f, Cue.Record))) &&
  f.numbers === 0 &&
  f.quantity === 0 &&
  !has(f, Cue.Advice) &&
  // "¿sirve para llevar las cuentas de fiado?": the fiado ledger is a feature, not advice.
  f.counts[Cue.Other] <= f.counts[Cue.Ledger];
/** What a bot may or may not do: "sacar facturas", "escanear códigos", "responder en inglés". */
const FEATURE_VERBS = new Set(
  [
    ...['sacar', 'generar', 'emitir', 'imprimir', 'escanear', 'leer', 'responder', 'contestar'],
    ...['hablar', 'entender', 'exportar', 'importar', 'conectar', 'conectarte', 'conectarse'],
    ...['mandar', 'mandarte', 'enviar', 'enviarte', 'recibir', 'cargar', 'cargarte', 'funcionar'],
    ...['trabajar', 'reconocer', 'escuchar', 'timbrar'],
    ...MANAGE_VERBS_LIST,
  ].map(phoneticKey),
);
/** Keeping books of something: with a sales or stock word it is still a feature ("¿puedes llevar las ventas?"). */
const MANAGE_VERBS = new Set(MANAGE_VERBS_LIST.map(phoneticKey));
/** "¿llevas el fiado?", "¿manejas varias sucursales?": what the bot does, asked in the present. */
const YOU_DO = new Set(
  [
    ...['llevas', 'manejas', 'controlas', 'administras', 'guardas', 'generas', 'sacas', 'emites'],
    ...['imprimes', 'escaneas', 'exportas', 'respondes', 'contestas', 'hablas', 'lees'],
    ...['entiendes', 'reconoces', 'recibes', 'timbras', 'facturas'],
    // "¿también haces lo de las mermas?", "¿calculas el iva?", "¿registras gastos?".
    ...['haces', 'calculas', 'registras', 'anotas', 'apuntas', 'sumas', 'recuerdas', 'avisas'],
  ].map(phoneticKey),
);
const CAN_SKIP = new Set(
  ['te', 'me', 'le', 'lo', 'la', 'se', 'tambien', 'tu', 'yo', 'ya', 'nomas', 'si'].map(phoneticKey),
);
/** Words of the shop's data: asked with them, "¿puedes sacar el reporte de ventas?" wants the report now. */
const DATA_CUES = [
  ...[Cue.SaleNoun, Cue.StockNoun, Cue.Profit, Cue.TakeHome, Cue.PriceNoun, Cue.CostVerb],
  ...[
    Cue.PriceAsk,
    Cue.Cash,
    Cue.Report,
    Cue.Tokens,
    Cue.Package,
    Cue.Remain,
    Cue.RunOut,
    Cue.Lack,
  ],
] as const;
/**
 * "¿puedes sacar facturas?", "¿puedes escanear códigos de barras?", "te puedo mandar la lista en
 * excel", "¿también llevas el fiado?", "¿puedes hacer el corte automático cada noche?": whether
 * the bot can do a thing, ayuda even for a feature it lacks. Not "¿puedes darme ideas?" or "¿me
 * puedes decir cuánto vendí?" (a request now: no feature verb, or a question of the data), nor
 * "¿puedes subir la coca a 20?" (a number to write).
 */
const NO = phoneticKey('no');
const deniedBefore = (f: Features, i: number): boolean =>
  (i > 0 && f.tokens[i - 1].key === NO) || (i > 1 && f.tokens[i - 2].key === NO);
/**
 * "si me equivoco al anotar, ¿cómo lo arreglo?": fixing something written to the bot is a how-to
 * of the bot, not a repair about the world.
 */
const fixesAnEntry = (f: Features): boolean =>
  has(f, Cue.Correction) &&
  any(f, Cue.Record, Cue.SetStock, Cue.BotAction) &&
  has(f, Cue.How) &&
  f.numbers === 0;
const asksCapability = (f: Features): boolean => {
  if (has(f, Cue.HowMuch) || any(f, Cue.SellPast, Cue.SoldParticiple, Cue.Theft)) return false;
  if (f.strongPrice || f.priceMention || f.setTarget || f.math) return false;
  if (f.quantity === 2 && any(f, Cue.Add, Cue.Remove, Cue.SetStock, Cue.Put, Cue.Record)) {
    return false;
  }
  for (let i = 0; i < f.count; i++) {
    const key = f.tokens[i].key;
    let verb: string | undefined;
    // "¿xq no me contestas?" is a complaint, not a feature asked.
    if (YOU_DO.has(key) && f.question && !any(f, Cue.Why, Cue.Who) && !deniedBefore(f, i)) {
      verb = key;
    } else if (CAN_YOU.has(key)) {
      // "¿puedes hacer el corte automático cada noche?": a recurring job is a feature.
      if (has(f, Cue.Automatic)) return true;
      let j = i + 1;
      while (j < f.count && CAN_SKIP.has(f.tokens[j].key)) j++;
      if (j < f.count && FEATURE_VERBS.has(f.tokens[j].key)) verb = f.tokens[j].key;
    }
    if (verb === undefined) continue;
    return MANAGE_VERBS.has(verb) || YOU_DO.has(verb) || !any(f, ...DATA_CUES);
  }
  return false;
};
/**
 * "cuánto me quedó de ganancia porque siento que vendí harto": the sale is the reason given, after
 * the question; it is not what is asked.
 */
const soldOnlyInReason = (f: Features): boolean => {
  if (f.reasonFrom >= f.count) return false;
  for (let i = 0; i < f.reasonFrom; i++) {
    const cues = f.tokens[i].cues;
    if (cues.includes(Cue.SellPast) || cues.includes(Cue.SoldParticiple)) return false;
  }
  return true;
};
/** "cuánto saqué de sabritas": what a named product brought in (no profit word) is its sales. */
const takeHomeOfProduct = (f: Features): boolean =>
  has(f, Cue.TakeHome) &&
  f.question &&
  f.contentCount > 0 &&
  !any(f, Cue.Profit, Cue.How, Cue.Leaves, Cue.Other) &&
  productAfterOf(f);
/** "saqué de sabritas", "saqué de las cocas" (not "le saco a cada bolsa de pan": per piece, a profit). */
const productAfterOf = (f: Features): boolean => {
  for (let i = 0; i + 2 < f.count; i++) {
    if (!f.tokens[i].cues.includes(Cue.TakeHome)) continue;
    if (i > 0 && f.tokens[i - 1].key === TO_IT) return false;
    const of = f.tokens[i + 1].key;
    if (of !== OF && of !== OF_THE) return false;
    let j = i + 2;
    if (j + 1 < f.count && THE_ANY.has(f.tokens[j].key)) j++;
    return f.tokens[j].content;
  }
  return false;
};
const TO_IT = phoneticKey('le');
const THE_ANY = new Set(['el', 'la', 'los', 'las'].map(phoneticKey));
const OF_THE = phoneticKey('del');
/** "ranking de productos por utilidad", "top 5 de lo que más me deja": ordered by profit. */
const rankedByProfit = (f: Features): boolean =>
  has(f, Cue.Ranking) &&
  any(f, Cue.Profit, Cue.Leaves) &&
  !any(f, Cue.SellPast, Cue.SellPresent, Cue.SoldParticiple, Cue.SaleNoun);
/** "compara lo vendido de este mes contra febrero": two periods of sales side by side. */
const comparesSales = (f: Features): boolean =>
  has(f, Cue.Compare) &&
  any(f, Cue.SellPast, Cue.SoldParticiple, Cue.SaleNoun, Cue.SellPresent) &&
  !any(f, Cue.Profit, Cue.StockNoun, Cue.PriceNoun, Cue.Advice);
const ASKS = new Set(
  ['pregunta', 'preguntan', 'pregunto', 'preguntaron', 'preguntando', 'quiere', 'quieren'].map(
    phoneticKey,
  ),
);
/**
 * "un cliente pregunta a cómo el zote", "la señora quiere saber si hay leche": a customer's
 * question relayed, about the shop (the buyer word is not small talk about "clientes").
 */
const customerAsks = (f: Features): boolean => {
  if (!buyerNamed(f)) return false;
  for (let i = 0; i < f.count; i++) if (ASKS.has(f.tokens[i].key)) return true;
  return false;
};
/** The only outside-world word is the buyer: "un cliente pregunta ..." (not "¿cómo atraigo clientes?"). */
const onlyBuyerIsOther = (f: Features): boolean =>
  customerAsks(f) && f.counts[Cue.Other] === 1 && !has(f, Cue.Advice);
/** The bot itself, as what is paid for: "el bot", "la app", "usarte", "el servicio". */
const BOT = new Set(
  ['bot', 'asistente', 'app', 'aplicacion', 'sistema', 'servicio', 'chatbot', 'usarte'].map(
    phoneticKey,
  ),
);
const namesBot = (f: Features): boolean => {
  if (has(f, Cue.BotAccess)) return true;
  for (let i = 0; i < f.count; i++) if (BOT.has(f.tokens[i].key)) return true;
  return false;
};
/**
 * "¿cuánto me cobran por usar el bot?", "¿la app es gratis?": what the bot costs the shop, a
 * package question; not "¿cuánto me cobra el proveedor por la coca?" (no bot named).
 */
const priceOfBot = (f: Features): boolean =>
  namesBot(f) &&
  any(f, Cue.CostVerb, Cue.PriceNoun, Cue.Payment) &&
  f.contentCount <= 1 &&
  f.quantity === 0 &&
  f.counts[Cue.Other] <= paymentAdvice(f) &&
  !any(f, Cue.SaleNoun, Cue.StockNoun);
/**
 * Payment words that are advice words too ("tarjeta", "oxxo"): "¿aceptan tarjeta para pagar el
 * bot?" pays the bot, where "¿acepto tarjeta?" alone is advice.
 */
const paymentAdvice = (f: Features): number => {
  let n = 0;
  for (let i = 0; i < f.count; i++) {
    const cues = f.tokens[i].cues;
    if (cues.includes(Cue.Payment) && cues.includes(Cue.Other)) n++;
  }
  return n;
};
/** "quiero cambiar a un plan más grande", "súbeme de paquete": a change of package. */
const changesPackage = (f: Features): boolean =>
  has(f, Cue.Package) && any(f, Cue.Change, Cue.Raise, Cue.Lower, Cue.Want, Cue.More);
const SERVES = phoneticKey('sirve');
const FOR = phoneticKey('para');
/**
 * "¿sirve para llevar el fiado?", "¿esto sirve para ...?": with nothing named before it, "sirve
 * para" asks what the bot is for ("¿el cloro sirve para ...?" names a product: not the bot).
 */
const servesFor = (f: Features): boolean => {
  for (let i = 0; i + 1 < f.count; i++) {
    if (f.tokens[i].key !== SERVES || f.tokens[i + 1].key !== FOR) continue;
    for (let j = 0; j < i; j++) if (f.tokens[j].content) return false;
    return true;
  }
  return false;
};
const WHAT_SKIP = new Set(
  ['le', 'me', 'les', 'se', 'tengo', 'que', 'debo', 'hay'].map(phoneticKey),
);
/**
 * "mañana viene el de bimbo, qué le pido", "no sé qué pedir": what to order, a question even
 * mid-message and without a question mark.
 */
const whatToOrder = (f: Features): boolean => {
  for (let i = 1; i < f.count; i++) {
    if (!f.tokens[i].cues.includes(Cue.Restock)) continue;
    let j = i - 1;
    while (j > 0 && WHAT_SKIP.has(f.tokens[j].key) && !f.tokens[j].cues.includes(Cue.What)) j--;
    if (f.tokens[j].cues.includes(Cue.What)) return true;
  }
  return false;
};
/**
 * "¿el bot me puede avisar cuando se acabe algo?", "¿me avisas cuando llegue a 5?": asks for an
 * alert, a feature of the bot, not whether the product ran out.
 */
const asksAlert = (f: Features): boolean =>
  has(f, Cue.Alert) && f.question && (has(f, Cue.When) || asksBotCan(f));

export const RULES: readonly Rule[] = [
  // ventas: questions about what was sold.
  {
    intent: 'ventas',
    weight: 2.5,
    why: 'talks about sales ("ventas de hoy") without reporting one',
    when: (f) =>
      has(f, Cue.SaleNoun) &&
      (f.question || f.quantity === 0) &&
      !any(f, Cue.Record, Cue.Add, Cue.PriceNoun),
  },
  {
    intent: 'ventas',
    weight: 3,
    why: 'asks about something sold ("cuánto vendí", "qué se vendió")',
    when: (f) =>
      f.question &&
      any(f, Cue.SellPast, Cue.SoldParticiple) &&
      !f.howToBot &&
      !costOfSold(f) &&
      !soldOnlyInReason(f),
  },
  {
    intent: 'ventas',
    weight: 2.5,
    why: '"cuánto vendo al día": how much of a present sell verb',
    when: (f) => has(f, Cue.SellPresent) && has(f, Cue.HowMuch) && !has(f, Cue.PriceAsk),
  },
  {
    intent: 'ventas',
    weight: 3.5,
    why: 'best/worst sellers (not "qué se vende más en las tienditas en general")',
    when: (f) => has(f, Cue.BestSeller) && !has(f, Cue.Advice) && !rankedByProfit(f),
  },
  {
    intent: 'ventas',
    weight: 3.5,
    why: '"compara lo vendido de este mes contra febrero": sales of two periods compared',
    when: comparesSales,
  },
  { intent: 'ventas', weight: 2.5, why: 'tickets count', when: (f) => has(f, Cue.Tickets) },
  {
    intent: 'ventas',
    weight: 3,
    why: '"cuánto saqué de sabritas en marzo": what a product brought in, its sales',
    when: takeHomeOfProduct,
  },
  {
    intent: 'ventas',
    weight: 3,
    why: 'cash register / money that came in ("corte de caja", "cuánto entró")',
    when: (f) =>
      has(f, Cue.Cash) ||
      (has(f, Cue.Money) &&
        (f.question || has(f, Cue.Arrive)) &&
        !any(f, Cue.Profit, Cue.TakeHome, Cue.Leaves)),
  },
  {
    intent: 'ventas',
    weight: 1.5,
    why: '"cómo me fue", "cómo van": how business went',
    when: (f) => has(f, Cue.HowDidItGo) && !any(f, Cue.StockNoun, Cue.Profit),
  },
  {
    intent: 'ventas',
    weight: 1.5,
    why: '"el total de hoy", "resumen": totals default to sales',
    when: (f) => has(f, Cue.Report) && !any(f, Cue.Profit, Cue.StockNoun, Cue.Tokens),
  },
  {
    intent: 'ventas',
    weight: 1,
    why: '"cuánto llevo" / "cuántas hice": progress so far',
    when: (f) => has(f, Cue.HowMuch) && any(f, Cue.Progress, Cue.Did),
  },

  // registrar_venta: the owner reports a sale.
  {
    intent: 'registrar_venta',
    weight: 2.5,
    why: 'a sale told as done ("vendí", "me compraron"), not asked about',
    when: (f) => soldSomething(f) && !f.question && !comparesSales(f),
  },
  {
    intent: 'registrar_venta',
    weight: 1.5,
    why: '...with what and how many ("2 cocas")',
    when: (f) => soldSomething(f) && !f.question && f.quantity > 0 && !comparesSales(f),
  },
  {
    intent: 'registrar_venta',
    weight: 3.5,
    why: 'asks to write a sale down ("anota una venta", "registra 2 cocas vendidas")',
    when: (f) =>
      any(f, Cue.Record, Cue.Add, Cue.Put) &&
      any(f, Cue.SaleNoun, Cue.SoldParticiple, Cue.SellPast) &&
      !f.question,
  },
  {
    intent: 'registrar_venta',
    weight: 3,
    why: '"registra 1 coca, 2 sabritas": recording products with no stock words is a sale',
    when: (f) =>
      has(f, Cue.Record) &&
      f.quantity > 0 &&
      !f.question &&
      !arrived(f) &&
      !any(f, Cue.Loss, Cue.StockNoun, Cue.Add, Cue.Remove),
  },
  {
    intent: 'registrar_venta',
    weight: 3,
    why: 'a sale with quantities ("venta de 1 coca", "2 sabritas vendidas")',
    when: (f) =>
      any(f, Cue.SaleNoun, Cue.SoldParticiple) &&
      f.quantity > 0 &&
      !f.question &&
      !has(f, Cue.BestSeller),
  },

  // ajustar_inventario: stock arrived, was lost, or is being set.
  {
    intent: 'ajustar_inventario',
    weight: 3,
    why: 'stock arrived or was lost ("llegaron", "se rompieron"), of something or some number',
    // "se me descompuso el refri" names no product and no number: not stock.
    when: (f) =>
      stockEvent(f) &&
      !f.question &&
      !moneyInFlow(f) &&
      !has(f, Cue.Advice) &&
      !has(f, Cue.PriceAsk) &&
      (f.contentCount > 0 || f.numbers > 0 || has(f, Cue.StockNoun)),
  },
  {
    intent: 'ajustar_inventario',
    weight: 1,
    why: '...with quantities',
    when: (f) => stockEvent(f) && !f.question && f.quantity > 0,
  },
  {
    intent: 'ajustar_inventario',
    weight: 3.5,
    why: 'sets a product to a counted number ("ajusta las cocas a 30 piezas", "deja en 12 las que hay")',
    when: (f) =>
      has(f, Cue.SetStock) &&
      f.setTarget &&
      f.contentCount > 0 &&
      !f.question &&
      !priceEvidence(f) &&
      !bareSetTarget(f),
  },
  {
    intent: 'ajustar_inventario',
    weight: 3.5,
    why: '"en realidad son 9", "el zote está mal, son 12": a count corrected with a number',
    when: (f) =>
      has(f, Cue.Correction) &&
      f.numbers > 0 &&
      !f.question &&
      !f.strongPrice &&
      !any(f, Cue.PriceNoun, Cue.Tokens, Cue.SaleNoun, Cue.SellPast),
  },
  {
    intent: 'ajustar_inventario',
    weight: 3,
    why: '"pon las cocas en 8 piezas": put a product at a counted number that is not a price',
    when: (f) =>
      has(f, Cue.Put) &&
      f.setTarget &&
      f.contentCount > 0 &&
      !f.question &&
      !f.priceMention &&
      !priceEvidence(f) &&
      !bareSetTarget(f),
  },
  {
    intent: 'ajustar_inventario',
    weight: 2.5,
    why: '"deja las cocas en 12", "pon el fabuloso en 8": a bare number leans to a count',
    when: bareSetTarget,
  },
  {
    intent: 'ajustar_inventario',
    weight: 3.5,
    why: '"de maruchan quedan 12, actualízalo", "hay 9 leches, corrígelo": a count to write down',
    when: remainStated,
  },
  {
    intent: 'precios',
    weight: 3.5,
    why: '"la leche quedó en 29 pesos": a price that settled at an amount',
    when: priceSettled,
  },
  {
    intent: 'ajustar_inventario',
    weight: 3.5,
    why: '"tengo 30 cocas en total", "quedan 14 en total": a stated total is a count',
    when: (f) => has(f, Cue.InTotal) && f.quantity === 2 && !f.question,
  },
  {
    intent: 'ajustar_inventario',
    weight: 3,
    why: 'add / remove / set stock ("agrega 10 maruchan", "quita 2 panes")',
    // "cómo le hago para meter la mercancía" asks how to use the bot.
    when: (f) =>
      stockChangeVerb(f) &&
      !botHowTo(f) &&
      (f.quantity === 2 || has(f, Cue.StockNoun)) &&
      !any(f, Cue.SaleNoun, Cue.SoldParticiple, Cue.PriceNoun) &&
      !(f.priceMention && !has(f, Cue.StockNoun)),
  },
  {
    intent: 'ajustar_inventario',
    weight: 1,
    why: 'a change verb aimed at the inventory itself',
    when: (f) => stockChangeVerb(f) && has(f, Cue.StockNoun) && !botHowTo(f),
  },
  {
    intent: 'ajustar_inventario',
    weight: 2.5,
    why: 'states a count ("tengo 15 cocas")',
    when: (f) => has(f, Cue.Have) && f.quantity === 2 && !f.question,
  },

  {
    intent: 'registrar_venta',
    weight: 2,
    why: 'a bare list of products with quantities ("2 coca 600 y 1 pan dulce") is a sale rung up',
    when: (f) => f.quantity === 2 && !f.question && !f.substantive && f.contentCount > 0,
  },

  // inventario: questions about stock.
  {
    intent: 'inventario',
    weight: 3,
    why: 'what is left ("cuántas me quedan")',
    when: (f) =>
      has(f, Cue.Remain) &&
      !aboutTokens(f) &&
      !any(f, Cue.Profit, Cue.TakeHome) &&
      !remainStated(f) &&
      !priceSettled(f),
  },
  {
    intent: 'inventario',
    weight: 2.5,
    why: 'mentions inventory / stock',
    // "ingresa 48 cervezas al almacén" moves stock; it does not ask about it.
    when: (f) =>
      has(f, Cue.StockNoun) &&
      !(stockChangeVerb(f) && f.quantity === 2 && !f.question) &&
      !botHowTo(f) &&
      !asksFeature(f) &&
      !costOfSold(f) &&
      // "cómo quito las cucarachas de la bodega" asks about pests.
      !has(f, Cue.Pest),
  },
  {
    intent: 'inventario',
    weight: 2.5,
    why: 'running out ("se está acabando", "ya no hay")',
    when: (f) => has(f, Cue.RunOut) && !aboutTokens(f) && !f.howToBot && !asksAlert(f),
  },
  {
    intent: 'inventario',
    weight: 2.5,
    why: 'what is missing ("qué me falta")',
    when: (f) => has(f, Cue.Lack) && !aboutTokens(f),
  },
  {
    intent: 'inventario',
    weight: 2.5,
    why: 'what to restock / order',
    when: (f) =>
      has(f, Cue.Restock) && !aboutTokens(f) && (f.question || has(f, Cue.Need) || whatToOrder(f)),
  },
  {
    intent: 'inventario',
    weight: 2,
    why: 'asks what there is ("¿hay sabritas?", "cuánto tengo de leche", "lista de lo que tengo")',
    when: (f) =>
      has(f, Cue.Have) &&
      f.quantity < 2 &&
      // "un cliente pregunta si tenemos leche": a customer's question relayed.
      (f.question || any(f, Cue.Still, Cue.Show) || customerAsks(f)) &&
      !any(f, Cue.PriceAsk, Cue.Tokens, Cue.Package, Cue.Help),
  },
  {
    intent: 'inventario',
    weight: 0.5,
    why: '"todavía" leans to a stock question',
    when: (f) => has(f, Cue.Still) && any(f, Cue.Have, Cue.Remain),
  },

  // ganancias: profit and margin.
  {
    intent: 'ganancias',
    weight: 3.5,
    why: 'profit words ("gané", "utilidad", "margen"), not amid advice words ("ganar clientes")',
    when: (f) => has(f, Cue.Profit) && !has(f, Cue.Who) && f.counts[Cue.Other] < 2,
  },
  {
    intent: 'ganancias',
    weight: 3,
    why: '"cuánto saqué": slang for what was earned',
    // "cuánto saqué de ventas" is what was sold.
    when: (f) =>
      has(f, Cue.TakeHome) &&
      !has(f, Cue.How) &&
      (f.question || has(f, Cue.Profit)) &&
      !(has(f, Cue.SaleNoun) && !has(f, Cue.Profit)) &&
      !takeHomeOfProduct(f),
  },
  {
    intent: 'ganancias',
    weight: 3,
    why: '"qué me deja más", "¿cuánto me dejó la coca?": what a product leaves',
    when: (f) =>
      has(f, Cue.Leaves) &&
      (f.question || has(f, Cue.More)) &&
      // "¿me dejaron las 24 cocas?" is about an arrival.
      !(has(f, Cue.Arrive) && f.quantity > 0),
  },
  {
    intent: 'ganancias',
    weight: 2.5,
    why: '"qué me conviene vender": which product pays off',
    when: (f) => has(f, Cue.PaysOff) && any(f, Cue.SellInfinitive, Cue.SellPresent),
  },

  {
    intent: 'ganancias',
    weight: 1,
    why: '"ranking de productos por utilidad": products ordered by profit',
    when: rankedByProfit,
  },
  {
    intent: 'ganancias',
    weight: 4,
    why: '"cuánto me costó lo que vendí", "costo de la mercancía vendida": cost of goods sold',
    when: costOfSold,
  },

  // precios: ask or change a price.
  {
    intent: 'precios',
    weight: 3,
    why: 'mentions a price',
    when: (f) => has(f, Cue.PriceNoun) && !aboutTokens(f) && !f.howToBot && !costOfSold(f),
  },
  {
    intent: 'precios',
    weight: 3.5,
    why: '"a cómo", "en cuánto" (not "¿cuánto está el dólar?": outside-world prices)',
    // "¿a cuánto sale mi ganancia por refresco?" asks a profit; "a cuánto me sale el costo de la
    // mercancía vendida" the cost of goods sold; "un cliente pregunta a cómo ..." is relayed.
    when: (f) =>
      has(f, Cue.PriceAsk) &&
      !has(f, Cue.Profit) &&
      (!has(f, Cue.Other) || onlyBuyerIsOther(f)) &&
      !costOfSold(f),
  },
  {
    intent: 'precios',
    weight: 3,
    why: '"cuánto cuesta la coca": cost of a product',
    when: (f) =>
      has(f, Cue.CostVerb) &&
      (f.question || f.priceMention) &&
      f.contentCount > 0 &&
      !aboutTokens(f) &&
      !has(f, Cue.Profit) &&
      !priceOfBot(f),
  },
  {
    intent: 'precios',
    weight: 1.5,
    why: '"cuánto cuesta" with no product named',
    when: (f) =>
      has(f, Cue.CostVerb) &&
      f.question &&
      f.contentCount === 0 &&
      !aboutTokens(f) &&
      !priceOfBot(f) &&
      !costOfSold(f),
  },
  {
    intent: 'precios',
    weight: 3.5,
    why: '"actualiza: jarritos ahora en 18", "desde hoy la coca a 20": a product at a new amount',
    when: (f) =>
      has(f, Cue.NewPrice) &&
      f.setTarget &&
      f.contentCount > 0 &&
      !countEvidence(f) &&
      !soldSomething(f),
  },
  {
    intent: 'precios',
    weight: 3,
    why: '"¿qué está más caro, el tecate o el modelo?", "¿qué tengo más barato?": how expensive',
    when: (f) =>
      has(f, Cue.Expensive) &&
      f.question &&
      // "¿dónde compro un refri barato?" asks about the world.
      !any(f, Cue.Other, Cue.Advice, Cue.PaysOff, Cue.Profit, Cue.Who, Cue.Why, Cue.Where) &&
      !aboutTokens(f) &&
      !priceOfBot(f),
  },
  {
    intent: 'precios',
    weight: 3.5,
    why: 'raise / lower / set a price ("sube el pan a 5")',
    // "quiero cambiar a un plan más grande" changes the bot's package.
    when: (f) =>
      priceChangeVerb(f) &&
      f.priceMention &&
      f.quantity === 0 &&
      !has(f, Cue.StockNoun) &&
      !aboutTokens(f),
  },
  {
    intent: 'precios',
    weight: 3.5,
    why: '"el gansito ya subió, ponlo en 20": a product put at a number after a price moved',
    when: (f) =>
      any(f, Cue.Put, Cue.SetStock, Cue.Change) &&
      f.setTarget &&
      any(f, Cue.Raise, Cue.Lower, Cue.PriceNoun) &&
      !countEvidence(f),
  },
  {
    intent: 'precios',
    weight: 2,
    why: '"deja las maruchan en 16": a bare number could be a price: the runner-up that keeps it unsure',
    when: bareSetTarget,
  },
  {
    intent: 'precios',
    weight: 2,
    why: '"sube la coca": a price change without the amount',
    when: (f) =>
      any(f, Cue.Raise, Cue.Lower) &&
      f.contentCount > 0 &&
      f.quantity === 0 &&
      !has(f, Cue.StockNoun),
  },
  {
    intent: 'precios',
    weight: 2,
    why: 'a product next to an amount ("la leche a 28 pesos")',
    when: (f) =>
      f.priceMention &&
      f.contentCount > 0 &&
      f.quantity === 0 &&
      !soldSomething(f) &&
      !arrived(f) &&
      !any(f, Cue.Loss, Cue.StockNoun, Cue.Tokens, Cue.Package),
  },

  // saldo: the shop's token balance and packages.
  {
    intent: 'saldo',
    weight: 4,
    why: 'tokens / saldo / recarga (not phone top-ups the shop sells: "vender recargas")',
    // "me regalas tokens? jaja": a laugh does not make it small talk.
    when: (f) =>
      has(f, Cue.Tokens) &&
      f.counts[Cue.Other] <= f.counts[Cue.Laugh] &&
      !any(f, Cue.SellInfinitive, Cue.SellPresent, Cue.SellPast, Cue.Meaning),
  },
  {
    intent: 'saldo',
    weight: 1.5,
    why: 'token words next to advice or selling words: weakly saldo, the runner-up keeps it unsure',
    when: (f) =>
      has(f, Cue.Tokens) && any(f, Cue.SellInfinitive, Cue.SellPresent, Cue.SellPast, Cue.Other),
  },
  {
    intent: 'saldo',
    weight: 4.5,
    why: '"¿puedo pagar tokens con tarjeta?", "hice la recarga y no me aparece": paying a top-up',
    when: payingTokens,
  },
  {
    intent: 'saldo',
    weight: 4.5,
    why: '"¿cuánto me cobran por usar el bot?", "¿la app es gratis?": what the bot costs',
    when: priceOfBot,
  },
  {
    intent: 'saldo',
    weight: 1.5,
    why: '"quiero cambiar a un plan más grande": a change of package',
    when: (f) => changesPackage(f) && !f.howToBot,
  },
  {
    intent: 'saldo',
    weight: 3.5,
    why: 'packages or plans we sell',
    when: (f) => has(f, Cue.Package) && !f.howToBot,
  },
  {
    intent: 'saldo',
    weight: 2.5,
    why: 'a package tier name ("el pro", "el empresarial")',
    when: (f) => has(f, Cue.Tier) && (any(f, Cue.Package, Cue.Want, Cue.CostVerb) || f.question),
  },

  // ayuda: what the bot can do.
  {
    intent: 'ayuda',
    weight: 3.5,
    why: 'asks for help / menu / how the bot works',
    when: (f) => has(f, Cue.Help) && !has(f, Cue.Other),
  },
  {
    intent: 'ayuda',
    weight: 1,
    why: '"ayúdame con un anuncio" is a request, weakly help',
    when: (f) => has(f, Cue.Help) && has(f, Cue.Other),
  },
  {
    intent: 'ayuda',
    weight: 5,
    why: '"qué significa ajustar inventario": what a word of the bot means',
    when: (f) => has(f, Cue.Meaning) && !has(f, Cue.Other),
  },
  {
    intent: 'ayuda',
    weight: 2,
    why: '"¿aceptas fotos?", "¿se pueden registrar varias?": asks what the bot can do',
    when: (f) => has(f, Cue.Capability) && f.question && !has(f, Cue.Other),
  },
  {
    intent: 'ayuda',
    weight: 2.5,
    why: 'asks about photos, audio, PDFs, reminders: channels of the bot itself',
    when: (f) => has(f, Cue.BotFeature) && f.question && !has(f, Cue.Other),
  },
  {
    intent: 'ayuda',
    weight: 4,
    why: '"cómo registro una venta": how to use a feature',
    when: (f) => botHowTo(f) || fixesAnEntry(f),
  },
  {
    intent: 'ayuda',
    weight: 4.5,
    why: '"¿mi empleado también puede usar el bot?", "¿lo uso desde otro celular?": who may use the bot',
    when: (f) =>
      has(f, Cue.BotAccess) &&
      (f.question || any(f, Cue.How, Cue.Capability) || asksBotCan(f)) &&
      !priceOfBot(f),
  },

  {
    intent: 'ayuda',
    weight: 4.5,
    why: '"¿puedes llevar mi inventario?", "¿sabes controlar ventas?": whether the bot does it',
    when: asksFeature,
  },
  {
    intent: 'ayuda',
    weight: 4.5,
    why: '"¿puedes sacar facturas?", "¿también llevas el fiado?": whether the bot can do a thing',
    when: (f) => asksCapability(f) && !asksFeature(f) && !has(f, Cue.BotAccess),
  },
  {
    intent: 'ayuda',
    weight: 4,
    why: '"¿el bot me puede avisar cuando se acabe algo?": asks for an alert, a feature',
    when: asksAlert,
  },
  {
    intent: 'ayuda',
    weight: 5,
    why: '"¿eres capaz de decirme mis ganancias?": the bot\'s ability asked outright',
    when: (f) => has(f, Cue.AbleTo) && f.numbers === 0,
  },
  {
    intent: 'ayuda',
    weight: 5,
    why: '"no sé qué escribirte", "ni idea de qué preguntarte": the user needs the menu',
    when: (f) => has(f, Cue.Clueless),
  },

  // saludo: greetings, thanks, goodbyes, acknowledgements.
  {
    intent: 'saludo',
    weight: 2.5,
    why: 'greeting, thanks or goodbye',
    when: (f) => any(f, Cue.Greet, Cue.Thanks, Cue.Bye),
  },
  {
    intent: 'saludo',
    weight: 0.5,
    why: 'greeting and thanks together',
    when: (f) => has(f, Cue.Thanks) && any(f, Cue.Greet, Cue.Ack, Cue.Bye),
  },
  {
    intent: 'saludo',
    weight: 2,
    why: 'a bare acknowledgement ("ok", "sale", "perfecto")',
    when: (f) => has(f, Cue.Ack) && !f.substantive && f.contentCount === 0,
  },

  // otro: free-form requests the data cannot answer.
  {
    intent: 'otro',
    weight: 2,
    why: 'advice, marketing, small talk, taxes... (not a feature asked of the bot, not a customer)',
    when: (f) =>
      has(f, Cue.Other) &&
      !asksCapability(f) &&
      !onlyBuyerIsOther(f) &&
      !fixesAnEntry(f) &&
      !priceOfBot(f),
  },
  {
    intent: 'otro',
    weight: 2,
    why: 'taxes, opinions, predictions, comparisons ("¿crees que suba?", "¿cobro iva?")',
    // "¿puedes sacar facturas?" asks what the bot does.
    when: (f) => has(f, Cue.Advice) && !asksCapability(f) && !fixesAnEntry(f),
  },
  {
    intent: 'otro',
    weight: 2,
    why: '"tengo una duda": a doubt with no help word ("tengo dudas de cómo usar esto" is ayuda)',
    when: (f) => has(f, Cue.Doubt) && !has(f, Cue.Other) && !has(f, Cue.Help) && !botHowTo(f),
  },
  {
    intent: 'otro',
    weight: 1,
    why: 'several such words',
    when: (f) => f.counts[Cue.Other] > 1 && !asksCapability(f),
  },
  {
    intent: 'otro',
    weight: 1.5,
    why: '"cómo hago un inventario en excel", "cómo calculo el iva": how-to about the outside world',
    when: (f) =>
      has(f, Cue.How) &&
      has(f, Cue.Other) &&
      !botHowTo(f) &&
      !has(f, Cue.BotAccess) &&
      !fixesAnEntry(f),
  },
  { intent: 'otro', weight: 2.5, why: 'arithmetic ("cuánto es 5 por 8")', when: (f) => f.math },
  {
    intent: 'otro',
    weight: 3,
    why: '"cómo quito las cucarachas", "¿qué hago con las ratas?": pests asked about, not a loss told',
    when: (f) => has(f, Cue.Pest) && (f.question || has(f, Cue.How)),
  },
  {
    intent: 'otro',
    weight: 1.5,
    why: 'who / why / where questions are not about shop data',
    when: (f) => any(f, Cue.Who, Cue.Why, Cue.Where),
  },
];

export const INTENT_INDEX: Readonly<Record<Intent, number>> = Object.fromEntries(
  INTENTS.map((intent, index) => [intent, index]),
) as Record<Intent, number>;

const RULE_INTENT_INDEX = RULES.map((rule) => INTENT_INDEX[rule.intent]);

/** Adds every matching rule's weight into `scores` (indexed like INTENTS). */
export function applyRules(f: Features, scores: Float64Array): void {
  scores.fill(0);
  for (let r = 0; r < RULES.length; r++) {
    if (RULES[r].when(f)) scores[RULE_INTENT_INDEX[r]] += RULES[r].weight;
  }
}

/** The rules that fired, for debugging and tests ("why did this become precios?"). */
export function explainRules(f: Features): Rule[] {
  return RULES.filter((rule) => rule.when(f));
}
