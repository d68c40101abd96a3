import { normalizeText } from '../intents';
import { dailyCloseCommand } from './daily-close-command';

const parse = (text: string) => dailyCloseCommand(normalizeText(text));

describe('dailyCloseCommand', () => {
  it.each([
    ['cierre diario', { kind: 'on' }],
    ['Cierre diario', { kind: 'on' }],
    ['quiero el cierre del día', { kind: 'on' }],
    ['cierre diario a las 10 pm', { kind: 'on', time: '22:00' }],
    ['cierre diario 22:30', { kind: 'on', time: '22:30' }],
    ['cierre diario a las 8:30 de la noche', { kind: 'on', time: '20:30' }],
    ['cierre diario a las 7 am', { kind: 'on', time: '07:00' }],
    ['quitar cierre diario', { kind: 'off' }],
    ['Quita el cierre diario', { kind: 'off' }],
    ['ya no me mandes el cierre diario', { kind: 'off' }],
    ['desactiva cierre del día', { kind: 'off' }],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it.each([
    '¿qué trae el cierre diario?',
    'cuánto vendí hoy',
    'cierre diario a las 25',
    'cierre',
    'diario',
  ])('leaves "%s" to the classifier', (text) => {
    expect(parse(text)).toBeNull();
  });
});
