import { bcp47 } from './markets.ts';

/**
 * The few display strings the emulator generates, in English, Spanish, French and German
 * (other locales fall back to English). Product text itself is served as stored.
 */

type Lang = 'en' | 'es' | 'fr' | 'de';

interface Phrases {
  inStock: string;
  lowStock: (n: number) => string;
  unavailable: string;
  shipsLater: (min: number, max: number) => string;
  freeDelivery: string;
  paidDelivery: (price: string) => string;
  save: (percent: number) => string;
}

const PHRASES: Record<Lang, Phrases> = {
  en: {
    inStock: 'In Stock.',
    lowStock: (n) => `Only ${n} left in stock - order soon.`,
    unavailable: 'Currently unavailable.',
    shipsLater: (a, b) => `Usually ships within ${a} to ${b} days.`,
    freeDelivery: 'FREE delivery',
    paidDelivery: (p) => `${p} delivery`,
    save: (n) => `Save ${n}%`,
  },
  es: {
    inStock: 'Disponible.',
    lowStock: (n) => `Solo quedan ${n} en stock (hay más unidades en camino).`,
    unavailable: 'No disponible por el momento.',
    shipsLater: (a, b) => `Normalmente se envía en ${a} a ${b} días.`,
    freeDelivery: 'Entrega GRATIS',
    paidDelivery: (p) => `Entrega por ${p}`,
    save: (n) => `Ahorra ${n}%`,
  },
  fr: {
    inStock: 'En stock.',
    lowStock: (n) => `Il ne reste plus que ${n} exemplaire(s) en stock.`,
    unavailable: 'Actuellement indisponible.',
    shipsLater: (a, b) => `Expédié habituellement sous ${a} à ${b} jours.`,
    freeDelivery: 'Livraison GRATUITE',
    paidDelivery: (p) => `Livraison à ${p}`,
    save: (n) => `Économisez ${n} %`,
  },
  de: {
    inStock: 'Auf Lager.',
    lowStock: (n) => `Nur noch ${n} auf Lager - jetzt bestellen.`,
    unavailable: 'Derzeit nicht verfügbar.',
    shipsLater: (a, b) => `Versandfertig in ${a} bis ${b} Tagen.`,
    freeDelivery: 'KOSTENLOSE Lieferung',
    paidDelivery: (p) => `Lieferung für ${p}`,
    save: (n) => `Sparen Sie ${n} %`,
  },
};

const phrases = (locale: string): Phrases => PHRASES[(locale.slice(0, 2) as Lang)] ?? PHRASES.en;

export const LOW_STOCK_THRESHOLD = 5;

/** The availability line of an offer ("In Stock.", "Only 3 left in stock - order soon.", ...). */
export function availabilityText(locale: string, stock: number, shipping: { minDays: number; maxDays: number }, merchantFulfilled: boolean): string {
  const p = phrases(locale);
  if (stock <= 0) return p.unavailable;
  if (stock <= LOW_STOCK_THRESHOLD) return p.lowStock(stock);
  if (merchantFulfilled && shipping.minDays >= 4) return p.shipsLater(Math.max(1, shipping.minDays - 2), Math.max(2, shipping.maxDays - 2));
  return p.inStock;
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

function dateFormatter(locale: string, withWeekday: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withWeekday}`;
  let f = dateFormatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = withWeekday
      ? { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }
      : { month: 'long', day: 'numeric', timeZone: 'UTC' };
    try {
      f = new Intl.DateTimeFormat(bcp47(locale), options);
    } catch {
      f = new Intl.DateTimeFormat('en-US', options);
    }
    dateFormatters.set(key, f);
  }
  return f;
}

const deliveryTexts = new Map<string, string>();

/** "FREE delivery Tuesday, December 2" or "$5.99 delivery December 2 – 4" (dates are YYYY-MM-DD). */
export function deliveryText(locale: string, formattedCost: string | null, minDate: string, maxDate: string): string {
  // A pure function of few distinct inputs, and Intl's formatRange is slow: remember the answers.
  const key = `${locale}|${formattedCost ?? ''}|${minDate}|${maxDate}`;
  let text = deliveryTexts.get(key);
  if (text === undefined) {
    text = formatDeliveryText(locale, formattedCost, minDate, maxDate);
    if (deliveryTexts.size >= 10_000) deliveryTexts.clear();
    deliveryTexts.set(key, text);
  }
  return text;
}

function formatDeliveryText(locale: string, formattedCost: string | null, minDate: string, maxDate: string): string {
  const p = phrases(locale);
  const cost = formattedCost === null ? p.freeDelivery : p.paidDelivery(formattedCost);
  const a = new Date(`${minDate}T00:00:00Z`);
  const b = new Date(`${maxDate}T00:00:00Z`);
  const when = minDate === maxDate ? dateFormatter(locale, true).format(a) : dateFormatter(locale, false).formatRange(a, b);
  return `${cost} ${when}`;
}

const longDates = new Map<string, Intl.DateTimeFormat>();

/** "December 2, 2026" in the locale (the date is YYYY-MM-DD). */
export function longDate(locale: string, isoDate: string): string {
  let f = longDates.get(locale);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' };
    try {
      f = new Intl.DateTimeFormat(bcp47(locale), options);
    } catch {
      f = new Intl.DateTimeFormat('en-US', options);
    }
    longDates.set(locale, f);
  }
  return f.format(new Date(`${isoDate}T00:00:00Z`));
}

/** The quantity range of a price band ("1-4", "10+"). */
export const quantityDisplay = (min: number, max: number | null): string => (max === null ? `${min}+` : min === max ? `${min}` : `${min}-${max}`);

export const savingMessage = (locale: string, percent: number): string => phrases(locale).save(percent);
