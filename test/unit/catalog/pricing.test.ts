import { test } from 'node:test';
import assert from 'node:assert/strict';
import { currencyExponent, deliveryText, formatMoney, majorToMinor, priceBands, quantityDisplay, shippingCostFor, taxExclusiveMinor, toAmount, unitPriceFor } from '../../../src/modules/catalog/index.ts';

const offer = { price: 1000, businessPrice: 950, quantityTiers: [{ minQuantity: 5, price: 900 }, { minQuantity: 10, price: 850 }] };

test('the unit price is the lowest of standard, business and the reached quantity tier', () => {
  assert.deepEqual(unitPriceFor({ price: 1000 }, 1), { minor: 1000, business: false });
  assert.deepEqual(unitPriceFor(offer, 1), { minor: 950, business: true });
  assert.deepEqual(unitPriceFor(offer, 5), { minor: 900, business: true });
  assert.deepEqual(unitPriceFor(offer, 12), { minor: 850, business: true });
});

test('quantity bands start at 1 and end open, with the saving against quantity 1', () => {
  assert.deepEqual(priceBands(offer), [
    { minQuantity: 1, maxQuantity: 4, unitMinor: 950, savingPercent: 0 },
    { minQuantity: 5, maxQuantity: 9, unitMinor: 900, savingPercent: 5 },
    { minQuantity: 10, maxQuantity: null, unitMinor: 850, savingPercent: 11 },
  ]);
  assert.deepEqual(priceBands({ price: 1000 }), []);
  assert.equal(quantityDisplay(1, 4), '1-4');
  assert.equal(quantityDisplay(10, null), '10+');
});

test('shipping is free at or over the threshold', () => {
  const o = { shipping: { cost: 599, freeOver: 3500, minDays: 2, maxDays: 5 } };
  assert.equal(shippingCostFor(o, 1000, 3), 599);
  assert.equal(shippingCostFor(o, 1000, 4), 0);
});

test('tax-exclusive prices remove included VAT and leave US prices as they are', () => {
  assert.equal(taxExclusiveMinor(1200, 0.2), 1000);
  assert.equal(taxExclusiveMinor(1199, 0), 1199);
});

test('money is minor units on the inside and decimal amounts on the wire', () => {
  assert.equal(currencyExponent('USD'), 2);
  assert.equal(currencyExponent('JPY'), 0);
  assert.equal(toAmount(4999, 'USD'), 49.99);
  assert.equal(toAmount(4999, 'JPY'), 4999);
  assert.equal(majorToMinor(50, 'EUR'), 5000);
});

test('prices and delivery lines follow the request locale', () => {
  assert.equal(formatMoney(123450, 'USD', 'en_US'), '$1,234.50');
  assert.equal(formatMoney(123450, 'EUR', 'de_DE'), '1.234,50\u00a0€');
  assert.equal(formatMoney(123450, 'CAD', 'fr_CA'), '1\u00a0234,50\u00a0$');
  assert.equal(formatMoney(4999, 'GBP', 'en_GB'), '£49.99');
  assert.equal(deliveryText('en_US', null, '2026-12-03', '2026-12-03'), 'FREE delivery Thursday, December 3');
  assert.match(deliveryText('en_US', '$5.99', '2026-12-03', '2026-12-07'), /^\$5\.99 delivery December 3\s?–\s?7$/);
  assert.equal(deliveryText('de_DE', null, '2026-12-03', '2026-12-03'), 'KOSTENLOSE Lieferung Donnerstag, 3. Dezember');
});
