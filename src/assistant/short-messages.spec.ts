import { classifyIntent, normalizeText } from '../intents';
import { changeRequestKind, isAcknowledgement } from './short-messages';

const ack = (text: string) => isAcknowledgement(text, normalizeText(text));
const change = (text: string) => changeRequestKind(classifyIntent(text), normalizeText(text));

describe('short messages', () => {
  it.each([
    'ok',
    'Ok!',
    'okay',
    'sí',
    'si',
    'no',
    'va',
    'sale',
    'listo',
    'va pues',
    '👍',
    '👍🏽',
    '🙏',
    '❤️',
    '👌👌',
  ])('%j is an acknowledgement', (text) => expect(ack(text)).toBe(true));

  it.each([
    '¿cuánto vendí hoy?',
    'no tengo cocas?',
    'si vendí 2 cocas',
    'ok y cuánto gané',
    'hola',
    '',
  ])('%j is not', (text) => expect(ack(text)).toBe(false));

  it.each([
    ['sube la coca a 20 pesos', 'price'],
    ['cambia el precio del pan a 5', 'price'],
    ['baja el aceite 2 pesos', 'price'],
    ['ahora la coca vale 25', 'price'],
    ['el precio de la coca es 20', 'price'],
    ['llegaron 24 cocas', 'stock'],
    ['se rompieron 3 huevos', 'stock'],
    ['vendí 2 cocas', 'sale'],
  ])('%j asks to change data (%s)', (text, kind) => expect(change(text)).toBe(kind));

  it.each([
    '¿a cómo tengo la coca?',
    'precio de la coca light',
    '¿la coca cuesta 20?',
    '¿cuánto vendí hoy?',
  ])('%j only asks', (text) => expect(change(text)).toBeNull());
});
