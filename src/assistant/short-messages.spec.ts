import { classifyIntent } from '../intents';
import { changeRequestKind, isAcknowledgement } from './short-messages';

const ack = (text: string) => isAcknowledgement(classifyIntent(text), text);
const change = (text: string) => changeRequestKind(classifyIntent(text));

describe('short messages (the classifier decides, this maps its verdict)', () => {
  it.each([
    'ok',
    'Ok!',
    'okay',
    'sí',
    'si',
    'no',
    'va',
    'listo',
    '👍',
    '👍🏽',
    '🙏',
    '❤️',
    '👌👌',
    '🔥🔥',
  ])('%j is an acknowledgement', (text) => expect(ack(text)).toBe(true));

  it.each(['¿cuánto vendí hoy?', 'no tengo cocas?', 'ok y cuánto gané', 'hola', ''])(
    '%j is not',
    (text) => expect(ack(text)).toBe(false),
  );

  it.each([
    ['sube la coca a 20 pesos', 'price'],
    ['ponle 25 a la coca', 'price'],
    ['ahora la coca vale 25', 'price'],
    ['llegaron 24 cocas', 'stock'],
    ['se rompieron 3 huevos', 'stock'],
    ['ajusta las cocas a 30 piezas', 'stock'],
    ['vendí 2 cocas', 'sale'],
  ])('%j asks to change data (%s)', (text, kind) => expect(change(text)).toBe(kind));

  it.each([
    '¿a cómo tengo la coca?',
    'precio de la coca light',
    '¿la coca cuesta 20?',
    '¿cuánto vendí hoy?',
  ])('%j only asks', (text) => expect(change(text)).toBeNull());
});
