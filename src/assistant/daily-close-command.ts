/** What the owner asked about the daily close, from their normalized words. */
export type DailyCloseCommand = { kind: 'on'; time?: string } | { kind: 'off' };

const OFF =
  /^(?:(?:ya )?no (?:me )?(?:mandes|envies|quiero) (?:el )?|(?:quitar|quita|quitame|desactivar|desactiva|apagar|apaga|cancelar|cancela|detener|deten|sin) (?:el )?)cierre (?:diario|del dia)$/;
const ON =
  /^(?:(?:quiero|activar|activa|activame|mandame|enviame|prender|prende) (?:el )?)?cierre (?:diario|del dia)(?: (?:a las |a la )?(\d{1,2})(?: (\d{2}))?(?: (am|pm|de la noche|de la tarde|de la manana))?)?$/;

/**
 * "cierre diario" (optionally "a las 10 pm" / "22 30") turns the daily close on, "quitar
 * cierre diario" (and the like) off. Only these short, whole messages: a question that
 * mentions the close ("¿qué trae el cierre diario?") is left to the classifier.
 */
export function dailyCloseCommand(normalized: string): DailyCloseCommand | null {
  const text = normalized.trim();
  if (OFF.test(text)) return { kind: 'off' };
  const on = ON.exec(text);
  if (!on) return null;
  if (on[1] === undefined) return { kind: 'on' };
  let hours = Number(on[1]);
  const minutes = on[2] === undefined ? 0 : Number(on[2]);
  const half = on[3];
  if (half && half !== 'am' && half !== 'de la manana' && hours < 12) hours += 12;
  if ((half === 'am' || half === 'de la manana') && hours === 12) hours = 0;
  if (hours > 23 || minutes > 59) return null;
  return {
    kind: 'on',
    time: `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`,
  };
}
