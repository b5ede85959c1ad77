import type { TrackingEvent } from './domain/tracking.ts';

/**
 * The words of a tracking page in each language the stores use. A locale whose language is not
 * here reads English words; its dates and times still follow the locale (Intl).
 */

export type Words = {
  readonly events: Readonly<Record<TrackingEvent['kind'], string>>;
  readonly delivered: (date: string) => string;
  readonly arriving: (date: string) => string;
  readonly arrivingBetween: (from: string, to: string) => string;
  readonly late: (date: string) => string;
  readonly amazon: string;
};

const WORDS: Readonly<Record<string, Words>> = {
  en: {
    events: {
      label: 'Shipping label created; the seller is preparing the package.',
      'left-seller': 'Package left the shipper facility.',
      'arrived-hub': 'Package arrived at a carrier facility.',
      'departed-hub': 'Package departed a carrier facility.',
      delayed: "Package delayed in transit. We're sorry, your package is running late.",
      'arrived-station': 'Package arrived at the delivery station.',
      attempted: 'Delivery attempted. The business was closed; we will try again the next business day.',
      out: 'Package is out for delivery.',
      delivered: 'Package delivered.',
    },
    delivered: (d) => `Delivered ${d}`,
    arriving: (d) => `Arriving ${d}`,
    arrivingBetween: (a, b) => `Arriving ${a} - ${b}`,
    late: (d) => `Running late, now arriving ${d}`,
    amazon: 'Delivery by Amazon',
  },
  de: {
    events: {
      label: 'Versandetikett erstellt; der Verkäufer bereitet das Paket vor.',
      'left-seller': 'Das Paket hat das Versandzentrum verlassen.',
      'arrived-hub': 'Das Paket ist in einem Paketzentrum angekommen.',
      'departed-hub': 'Das Paket hat ein Paketzentrum verlassen.',
      delayed: 'Das Paket ist auf dem Transportweg verspätet. Es tut uns leid.',
      'arrived-station': 'Das Paket ist im Zustellstützpunkt angekommen.',
      attempted: 'Zustellversuch: Das Unternehmen war geschlossen. Wir versuchen es am nächsten Werktag erneut.',
      out: 'Das Paket wird heute zugestellt.',
      delivered: 'Das Paket wurde zugestellt.',
    },
    delivered: (d) => `Zugestellt am ${d}`,
    arriving: (d) => `Lieferung ${d}`,
    arrivingBetween: (a, b) => `Lieferung ${a} - ${b}`,
    late: (d) => `Verspätet, Lieferung jetzt ${d}`,
    amazon: 'Zustellung durch Amazon',
  },
  fr: {
    events: {
      label: "Étiquette d'expédition créée ; le vendeur prépare le colis.",
      'left-seller': "Le colis a quitté le centre d'expédition.",
      'arrived-hub': 'Le colis est arrivé dans un centre du transporteur.',
      'departed-hub': 'Le colis a quitté un centre du transporteur.',
      delayed: 'Le colis a pris du retard. Nous vous prions de nous en excuser.',
      'arrived-station': 'Le colis est arrivé au site de livraison.',
      attempted: "Tentative de livraison : l'entreprise était fermée. Nouvelle tentative le prochain jour ouvré.",
      out: 'Le colis est en cours de livraison.',
      delivered: 'Colis livré.',
    },
    delivered: (d) => `Livré le ${d}`,
    arriving: (d) => `Arrivée le ${d}`,
    arrivingBetween: (a, b) => `Arrivée entre le ${a} et le ${b}`,
    late: (d) => `En retard, arrivée prévue le ${d}`,
    amazon: 'Livraison par Amazon',
  },
  es: {
    events: {
      label: 'Etiqueta de envío creada; el vendedor está preparando el paquete.',
      'left-seller': 'El paquete ha salido de las instalaciones del remitente.',
      'arrived-hub': 'El paquete ha llegado a un centro del transportista.',
      'departed-hub': 'El paquete ha salido de un centro del transportista.',
      delayed: 'El paquete sufre un retraso en el tránsito. Lo sentimos.',
      'arrived-station': 'El paquete ha llegado a la estación de reparto.',
      attempted: 'Intento de entrega: la empresa estaba cerrada. Lo intentaremos de nuevo el próximo día hábil.',
      out: 'El paquete está en reparto.',
      delivered: 'Paquete entregado.',
    },
    delivered: (d) => `Entregado el ${d}`,
    arriving: (d) => `Llega el ${d}`,
    arrivingBetween: (a, b) => `Llega entre el ${a} y el ${b}`,
    late: (d) => `Con retraso, ahora llega el ${d}`,
    amazon: 'Entrega por Amazon',
  },
  it: {
    events: {
      label: 'Etichetta di spedizione creata; il venditore sta preparando il pacco.',
      'left-seller': 'Il pacco ha lasciato il centro del mittente.',
      'arrived-hub': 'Il pacco è arrivato in un centro del corriere.',
      'departed-hub': 'Il pacco ha lasciato un centro del corriere.',
      delayed: 'Il pacco è in ritardo. Ci scusiamo per il disagio.',
      'arrived-station': 'Il pacco è arrivato alla stazione di consegna.',
      attempted: "Tentativo di consegna: l'azienda era chiusa. Riproveremo il prossimo giorno lavorativo.",
      out: 'Il pacco è in consegna.',
      delivered: 'Pacco consegnato.',
    },
    delivered: (d) => `Consegnato ${d}`,
    arriving: (d) => `In arrivo ${d}`,
    arrivingBetween: (a, b) => `In arrivo tra ${a} e ${b}`,
    late: (d) => `In ritardo, ora in arrivo ${d}`,
    amazon: 'Consegna Amazon',
  },
  ja: {
    events: {
      label: '配送ラベルが作成されました。出品者が荷物を準備しています。',
      'left-seller': '荷物が出荷元を出発しました。',
      'arrived-hub': '荷物が配送業者の拠点に到着しました。',
      'departed-hub': '荷物が配送業者の拠点を出発しました。',
      delayed: '輸送中に遅延が発生しています。ご迷惑をおかけして申し訳ございません。',
      'arrived-station': '荷物が配達ステーションに到着しました。',
      attempted: '配達を試みましたが、事業所が閉まっていました。翌営業日に再配達します。',
      out: '荷物は配達中です。',
      delivered: '配達が完了しました。',
    },
    delivered: (d) => `${d}に配達済み`,
    arriving: (d) => `${d}にお届け予定`,
    arrivingBetween: (a, b) => `${a}～${b}にお届け予定`,
    late: (d) => `遅延中、${d}にお届け予定`,
    amazon: 'Amazon配送',
  },
};

/** The words for a locale (`de-DE` → German), English where the language has none here. */
export const wordsFor = (locale: string): Words => WORDS[locale.slice(0, 2).toLowerCase()] ?? WORDS.en!;

/** Carriers whose name is a phrase in the buyer's language. */
export function carrierName(carrier: string, words: Words): string {
  return carrier.startsWith('AMZL') ? words.amazon : carrier;
}
