import { INTENTS, type Intent, type IntentResult } from './intent.types';

/**
 * Scoring the write entities (sales, stock moves, price changes) against
 * test/fixtures/write-phrases.tsv: `text<TAB>intent<TAB>operation<TAB>items` per line (format
 * documented in the fixture's header). Pure: callers read the file. A phrase is parsed fully
 * when the intent, the operation (and its reason), and every item's quantity, product text and
 * price come out exactly as written.
 */
export type WriteOperation = 'sale' | 'add' | 'remove' | 'set' | 'price';

export interface ExpectedWriteItem {
  /** Absent for price changes. */
  quantity?: number;
  product: string;
  /** Unit price of a sale item, or the new price of a price change. */
  priceCents?: number;
  /** A relative price change ("@ +2"). */
  deltaCents?: number;
}

export interface WritePhrase {
  text: string;
  intent: Intent;
  operation: WriteOperation;
  reason?: string;
  items: ExpectedWriteItem[];
  line: number;
}

export interface WritePhraseCheck {
  phrase: WritePhrase;
  intentOk: boolean;
  operationOk: boolean;
  itemsOk: boolean;
  /** The parsed operation and items, in the fixture's notation, for error messages. */
  got: string;
}

export interface WritePhraseReport {
  total: number;
  fullyParsed: number;
  intentCorrect: number;
  operationCorrect: number;
  itemsCorrect: number;
  failures: WritePhraseCheck[];
}

const OPERATIONS: ReadonlySet<string> = new Set(['sale', 'add', 'remove', 'set', 'price']);
const INTENT_SET: ReadonlySet<string> = new Set(INTENTS);

export function parseWritePhraseFixture(content: string): WritePhrase[] {
  const phrases: WritePhrase[] = [];
  const lines = content.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index];
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const at = `write-phrases line ${index + 1}`;
    const columns = raw.split('\t');
    if (columns.length !== 4) throw new Error(`${at}: expected 4 TAB-separated columns`);
    const [text, intent, operationColumn, itemsColumn] = columns;
    if (!INTENT_SET.has(intent)) throw new Error(`${at}: unknown intent "${intent}"`);
    const [operation, reason] = operationColumn.split(':');
    if (!OPERATIONS.has(operation)) throw new Error(`${at}: unknown operation "${operation}"`);
    const items = itemsColumn
      .split(';')
      .map((item) => parseItem(item.trim(), operation as WriteOperation, at));
    phrases.push({
      text,
      intent: intent as Intent,
      operation: operation as WriteOperation,
      ...(reason !== undefined && reason !== '' ? { reason } : {}),
      items,
      line: index + 1,
    });
  }
  return phrases;
}

function parseItem(item: string, operation: WriteOperation, at: string): ExpectedWriteItem {
  const [left, priceText] = item.split(' @ ').map((part) => part.trim());
  const parsed: ExpectedWriteItem = { product: left };
  if (operation !== 'price') {
    const match = /^(\d+(?:\.\d+)?) (.+)$/.exec(left);
    if (match === null) throw new Error(`${at}: expected "QTY PRODUCT", got "${left}"`);
    parsed.quantity = Number(match[1]);
    parsed.product = match[2];
  }
  if (priceText !== undefined) {
    const match = /^([+-])?(\d+(?:\.\d+)?)$/.exec(priceText);
    if (match === null) throw new Error(`${at}: bad price "${priceText}"`);
    const cents = Math.round(Number(match[2]) * 100);
    if (match[1] !== undefined) parsed.deltaCents = match[1] === '-' ? -cents : cents;
    else parsed.priceCents = cents;
  } else if (operation === 'price') {
    throw new Error(`${at}: a price change needs "PRODUCT @ PRICE"`);
  }
  return parsed;
}

/** What the classifier extracted, in the fixture's notation. */
function extracted(result: IntentResult): { operation: string; items: ExpectedWriteItem[] } {
  const { entities } = result;
  if (entities.priceChange !== undefined) {
    const { product, priceCents } = entities.priceChange;
    return { operation: 'price', items: [{ product, priceCents }] };
  }
  if (entities.priceDelta !== undefined) {
    const { product, deltaCents } = entities.priceDelta;
    return { operation: 'price', items: [{ product, deltaCents }] };
  }
  if (entities.stockChange !== undefined) {
    const { kind, reason, items } = entities.stockChange;
    return {
      operation: reason === undefined ? kind : `${kind}:${reason}`,
      items: items.map(({ quantity, product }) => ({ quantity, product })),
    };
  }
  if (result.intent === 'registrar_venta' && entities.items !== undefined) {
    return {
      operation: 'sale',
      items: entities.items.map(({ quantity, product, unitPriceCents }) =>
        unitPriceCents === undefined
          ? { quantity, product }
          : { quantity, product, priceCents: unitPriceCents },
      ),
    };
  }
  return { operation: 'none', items: [] };
}

const formatItem = (item: ExpectedWriteItem): string => {
  const price =
    item.priceCents !== undefined
      ? ` @ ${item.priceCents / 100}`
      : item.deltaCents !== undefined
        ? ` @ ${item.deltaCents > 0 ? '+' : ''}${item.deltaCents / 100}`
        : '';
  return `${item.quantity === undefined ? '' : `${item.quantity} `}${item.product}${price}`;
};

const sameItem = (a: ExpectedWriteItem, b: ExpectedWriteItem): boolean =>
  a.quantity === b.quantity &&
  a.product === b.product &&
  a.priceCents === b.priceCents &&
  a.deltaCents === b.deltaCents;

export function checkWritePhrase(phrase: WritePhrase, result: IntentResult): WritePhraseCheck {
  const got = extracted(result);
  const expectedOperation =
    phrase.reason === undefined ? phrase.operation : `${phrase.operation}:${phrase.reason}`;
  return {
    phrase,
    intentOk: result.intent === phrase.intent,
    operationOk: got.operation === expectedOperation,
    itemsOk:
      got.items.length === phrase.items.length &&
      got.items.every((item, i) => sameItem(item, phrase.items[i])),
    got: `${result.intent}\t${got.operation}\t${got.items.map(formatItem).join('; ')}`,
  };
}

export function evaluateWritePhrases(
  phrases: readonly WritePhrase[],
  classify: (text: string) => IntentResult,
): WritePhraseReport {
  const report: WritePhraseReport = {
    total: phrases.length,
    fullyParsed: 0,
    intentCorrect: 0,
    operationCorrect: 0,
    itemsCorrect: 0,
    failures: [],
  };
  for (const phrase of phrases) {
    const check = checkWritePhrase(phrase, classify(phrase.text));
    if (check.intentOk) report.intentCorrect++;
    if (check.operationOk) report.operationCorrect++;
    if (check.itemsOk) report.itemsCorrect++;
    if (check.intentOk && check.operationOk && check.itemsOk) report.fullyParsed++;
    else report.failures.push(check);
  }
  return report;
}

export function formatWritePhraseReport(report: WritePhraseReport): string {
  const share = (n: number): string =>
    `${((n / report.total) * 100).toFixed(1)}% (${n}/${report.total})`;
  const failure = (check: WritePhraseCheck): string => {
    const p = check.phrase;
    const expected = `${p.intent}\t${p.reason === undefined ? p.operation : `${p.operation}:${p.reason}`}\t${p.items.map(formatItem).join('; ')}`;
    return `  line ${p.line}: ${p.text}\n    expected ${expected}\n    got      ${check.got}`;
  };
  return [
    `fully parsed      ${share(report.fullyParsed)}`,
    `intent correct    ${share(report.intentCorrect)}`,
    `operation correct ${share(report.operationCorrect)}`,
    `items correct     ${share(report.itemsCorrect)}`,
    ...(report.failures.length > 0 ? ['failures:', ...report.failures.map(failure)] : []),
  ].join('\n');
}
