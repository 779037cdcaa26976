/**
 * The example mesh's sample data, generated deterministically (a seeded generator, no clock): the files that
 * the bronze products under `products/` load. `sampleData.test.ts` fails when the shipped files differ from
 * what this writes; refresh them with `UPDATE_SAMPLES=1 npx vitest run test/example/sampleData.test.ts`.
 *
 * The data tells one story: Acme Outdoor, an online outdoor-gear shop selling in five currencies, from
 * 2 January to 24 November 2026 (the night of the last export). The CRM's change log, the shop's orders, the
 * payment provider's transactions, the clickstream of November, the ad platforms' daily spend, the campaign
 * plan and the ECB's reference rates all agree with one another, so that silver and gold transforms join
 * them for real. A few dirty rows are planted on purpose (see `PlantedFault` and the README's tour).
 */

/** A file to write, repository-relative. */
export interface SampleFile {
  readonly path: string;
  readonly text: string;
}

/** A dirty row planted on purpose, with the line it lands on (1-based; a CSV's header is line 1). */
export interface PlantedFault {
  readonly file: string;
  readonly line: number;
  readonly what: string;
}

export interface SampleData {
  readonly files: SampleFile[];
  readonly faults: PlantedFault[];
}

/** The nightly export ran at this instant: nothing in the sample is later. */
const EXTRACTED_AT = Date.parse('2026-11-24T23:30:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------------------
// Deterministic randomness

class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** mulberry32: small, fast, and the same sequence on every platform. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, weight] of choices) {
      r -= weight;
      if (r < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
  uuid(): string {
    const hex = this.chars(32, '0123456789abcdef').split('');
    hex[12] = '4';
    hex[16] = '89ab'[Math.floor(this.next() * 4)]!;
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Formatting

const iso = (ms: number): string => new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const isoMillis = (ms: number): string => new Date(Math.round(ms)).toISOString();
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const round2 = (x: number): number => Math.round(x * 100) / 100;
const money = (x: number): string => round2(x).toFixed(2);

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'number' ? String(value) : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function csv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  return [columns.join(','), ...rows.map((row) => columns.map((c) => csvCell(row[c])).join(','))].join('\n') + '\n';
}

function jsonl(rows: readonly object[]): string {
  return rows.map((row) => JSON.stringify(row)).join('\n') + '\n';
}

/** Lower-case ASCII for e-mail local parts: umlauts spelled out, accents dropped. */
function ascii(s: string): string {
  return s
    .replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
    .replace(/Ä/g, 'Ae').replace(/Ö/g, 'Oe').replace(/Ü/g, 'Ue')
    .replace(/å/g, 'a').replace(/ø/g, 'o').replace(/æ/g, 'ae')
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------
// Reference data

type Currency = 'EUR' | 'GBP' | 'USD' | 'CHF' | 'SEK';

interface Country {
  readonly code: string;
  readonly currency: Currency;
  readonly weight: number;
  readonly tax: number;
  readonly dial: string;
  readonly digits: number;
  readonly first: readonly string[];
  readonly last: readonly string[];
}

const COUNTRIES: readonly Country[] = [
  { code: 'DE', currency: 'EUR', weight: 30, tax: 0.19, dial: '49', digits: 10, first: ['Anna', 'Lukas', 'Sophie', 'Jonas', 'Marie', 'Felix', 'Lena', 'Maximilian', 'Hannah', 'Paul', 'Jürgen', 'Katrin', 'Tobias', 'Sabine'], last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Schäfer', 'Koch', 'Richter', 'Krüger', 'Wolf'] },
  { code: 'AT', currency: 'EUR', weight: 6, tax: 0.2, dial: '43', digits: 10, first: ['Elias', 'Valentina', 'Florian', 'Theresa', 'Matthias', 'Magdalena', 'Stefan', 'Johanna'], last: ['Gruber', 'Huber', 'Bauer', 'Pichler', 'Moser', 'Steiner', 'Hofer', 'Leitner'] },
  { code: 'FR', currency: 'EUR', weight: 9, tax: 0.2, dial: '33', digits: 9, first: ['Camille', 'Louis', 'Léa', 'Hugo', 'Chloé', 'Arthur', 'Manon', 'Théo', 'Élodie', 'Julien'], last: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Lefèvre', 'Moreau'] },
  { code: 'NL', currency: 'EUR', weight: 8, tax: 0.21, dial: '31', digits: 9, first: ['Daan', 'Emma', 'Sem', 'Julia', 'Lucas', 'Tess', 'Finn', 'Sanne'], last: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'Bakker', 'Visser', 'Smit', 'Meijer'] },
  { code: 'GB', currency: 'GBP', weight: 15, tax: 0.2, dial: '44', digits: 10, first: ['Oliver', 'Amelia', 'George', 'Isla', 'Harry', 'Ava', 'Jack', 'Emily', 'Charlotte', 'James'], last: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Evans', 'Thomas', 'Roberts', 'Walker'] },
  { code: 'SE', currency: 'SEK', weight: 8, tax: 0.25, dial: '46', digits: 9, first: ['Erik', 'Astrid', 'Oskar', 'Maja', 'Nils', 'Ebba', 'Axel', 'Ingrid'], last: ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Lindqvist', 'Öberg'] },
  { code: 'CH', currency: 'CHF', weight: 6, tax: 0.081, dial: '41', digits: 9, first: ['Noah', 'Mia', 'Luca', 'Lara', 'Leon', 'Nina', 'Reto', 'Seraina'], last: ['Meier', 'Keller', 'Brunner', 'Baumann', 'Zürcher', 'Frei', 'Graf', 'Suter'] },
  { code: 'US', currency: 'USD', weight: 18, tax: 0, dial: '1', digits: 10, first: ['Liam', 'Olivia', 'Ethan', 'Emma', 'Mason', 'Ava', 'Logan', 'Harper', 'Caleb', 'Madison'], last: ['Johnson', 'Miller', 'Davis', 'Garcia', 'Rodriguez', 'Martinez', 'Anderson', 'Clark', 'Lewis', 'Young'] },
];
const COUNTRY_BY_CODE = new Map(COUNTRIES.map((c) => [c.code, c]));

const EMAIL_DOMAINS: readonly (readonly [string, number])[] = [['example.com', 5], ['example.net', 3], ['example.org', 2]];

interface Category {
  readonly name: string;
  readonly prefix: string;
  readonly prices: readonly [number, number];
  readonly grams: readonly [number, number];
  readonly models: readonly string[];
}

const CATEGORIES: readonly Category[] = [
  { name: 'tents', prefix: 'TEN', prices: [149, 699], grams: [1200, 6500], models: ['Fjord 2 Tent', 'Fjord 3 Tent', 'Summit Dome 2', 'Summit Dome 4', 'Ridgeline UL 1', 'Basecamp Family 6', 'Tundra Tunnel 3', 'Alpine Bivy', 'Nomad Pop-Up 2', 'Glacier Expedition 2'] },
  { name: 'sleeping_bags', prefix: 'SLP', prices: [69, 349], grams: [700, 2400], models: ['Arctic Down -15', 'Arctic Down -5', 'Summer Breeze +10', 'Trekker Synthetic 0', 'Cocoon Liner Silk', 'Mummy Pro -10', 'Family Double +5', 'Ultralight Quilt +2', 'Kids Explorer +5'] },
  { name: 'backpacks', prefix: 'BAG', prices: [49, 279], grams: [300, 2600], models: ['Trek 45L Backpack', "Trek 45L Backpack, Women's", 'Trek 65L Backpack', 'Daypack 22', 'Daypack 28', 'Summit Pack 35', 'Hydration Vest 8', 'Travel Duffel 60', 'Kids Trail 14', 'Alpine Climb 40', 'Commuter 20'] },
  { name: 'footwear', prefix: 'FTW', prices: [89, 249], grams: [600, 1600], models: ['Trail Runner 2', "Trail Runner 2, Women's", 'Ridge Mid GTX', 'Ridge Low', 'Alpine Pro Boot', 'Approach Shoe', 'Winter Hiker Insulated', 'Camp Slipper Down', 'Speed Hiker', 'Canyon Sandal', 'Backcountry Boot', 'Kids Trail Shoe'] },
  { name: 'apparel', prefix: 'APP', prices: [29, 399], grams: [120, 1100], models: ['Storm Shell Jacket "Pro"', 'Storm Shell Jacket', 'Down Hoody 800', 'Fleece Midlayer 200', 'Merino Base Layer', 'Softshell Pants', 'Trail Shorts', 'Rain Poncho', 'Insulated Parka', 'Windbreaker Ultralight', 'Merino Beanie', 'Hiking Socks 3-Pack', 'Thermal Gloves', 'Sun Hoody'] },
  { name: 'cooking', prefix: 'CKG', prices: [19, 149], grams: [80, 1400], models: ['Titanium Pot 750', 'Gas Stove Compact', 'Multi-Fuel Stove', 'Cook Set 2P', 'Insulated Mug', 'Spork Titanium', 'Water Filter Squeeze', 'Collapsible Kettle'] },
  { name: 'accessories', prefix: 'ACC', prices: [9, 89], grams: [30, 900], models: ['Headlamp 400', 'Trekking Poles Carbon', 'Dry Bag 20L', 'First Aid Kit Trek', 'Camp Chair Lite', 'Compass Baseplate', 'Sleeping Pad Inflatable', 'Emergency Blanket'] },
];

const BRANDS = ['Nordkamm', 'Trailwerk', 'Fjellsport', 'Alpenglut', 'Bergström'] as const;

interface Article {
  sku: string;
  product_name: string;
  category: string;
  brand: string;
  list_price: number;
  weight_grams: number;
  is_active: boolean;
  launched_on: string;
  updated_at: string;
  /** Sellable in 2026 from this instant (launch), until never if inactive. */
  sellableFrom: number;
}

interface Campaign {
  readonly id: string;
  readonly name: string;
  readonly channel: 'paid_search' | 'paid_social' | 'display' | 'email' | 'affiliate';
  readonly utm: string;
  readonly coupon: string | null;
  readonly budget: number;
  readonly starts: string;
  readonly ends: string;
  readonly owner: string;
}

/** The marketing plan of 2026. Paid channels run on Google Ads (search, display) or Meta (social). */
const CAMPAIGNS: readonly Campaign[] = [
  { id: 'CMP-2026-001', name: 'Winter Sale Search', channel: 'paid_search', utm: 'winter-sale-search', coupon: null, budget: 900, starts: '2026-01-05', ends: '2026-01-31', owner: 'lena.hoffmann' },
  { id: 'CMP-2026-002', name: 'Winter Sale Newsletter', channel: 'email', utm: 'winter-sale-newsletter', coupon: 'WINTER15', budget: 150, starts: '2026-01-07', ends: '2026-01-21', owner: 'jonas.brandt' },
  { id: 'CMP-2026-003', name: 'Ski Touring Social', channel: 'paid_social', utm: 'ski-touring-social', coupon: null, budget: 650, starts: '2026-01-15', ends: '2026-02-28', owner: 'mira.okafor' },
  { id: 'CMP-2026-004', name: 'Outdoor Deals Affiliate', channel: 'affiliate', utm: 'outdoor-deals-affiliate', coupon: 'OUTDEALS10', budget: 1200, starts: '2026-02-01', ends: '2026-11-30', owner: 'jonas.brandt' },
  { id: 'CMP-2026-005', name: 'Spring Hiking Social', channel: 'paid_social', utm: 'spring-hiking-social', coupon: null, budget: 900, starts: '2026-03-01', ends: '2026-04-15', owner: 'mira.okafor' },
  { id: 'CMP-2026-006', name: 'Spring Hiking Newsletter', channel: 'email', utm: 'spring-hiking-newsletter', coupon: 'SPRING15', budget: 150, starts: '2026-03-10', ends: '2026-03-31', owner: 'jonas.brandt' },
  { id: 'CMP-2026-007', name: 'Easter Display', channel: 'display', utm: 'easter-display', coupon: null, budget: 400, starts: '2026-03-23', ends: '2026-04-06', owner: 'lena.hoffmann' },
  { id: 'CMP-2026-008', name: 'Tent Season Search', channel: 'paid_search', utm: 'tent-season-search', coupon: null, budget: 1800, starts: '2026-04-01', ends: '2026-06-30', owner: 'lena.hoffmann' },
  { id: 'CMP-2026-009', name: 'Camping Season Social', channel: 'paid_social', utm: 'camping-season-social', coupon: null, budget: 1500, starts: '2026-05-01', ends: '2026-07-31', owner: 'mira.okafor' },
  { id: 'CMP-2026-010', name: 'Summit Influencer Collab', channel: 'affiliate', utm: 'summit-influencer', coupon: 'SUMMIT15', budget: 750, starts: '2026-05-15', ends: '2026-06-15', owner: 'jonas.brandt' },
  { id: 'CMP-2026-011', name: 'Summer Newsletter', channel: 'email', utm: 'summer-newsletter', coupon: 'SUMMER10', budget: 150, starts: '2026-06-01', ends: '2026-06-21', owner: 'jonas.brandt' },
  { id: 'CMP-2026-012', name: 'Festival Tents Social', channel: 'paid_social', utm: 'festival-tents-social', coupon: null, budget: 500, starts: '2026-06-10', ends: '2026-07-15', owner: 'mira.okafor' },
  { id: 'CMP-2026-013', name: 'Trail Running Display', channel: 'display', utm: 'trail-running-display', coupon: null, budget: 600, starts: '2026-07-01', ends: '2026-08-15', owner: 'lena.hoffmann' },
  { id: 'CMP-2026-014', name: 'Back to School Search', channel: 'paid_search', utm: 'back-to-school-search', coupon: null, budget: 550, starts: '2026-08-10', ends: '2026-09-10', owner: 'lena.hoffmann' },
  { id: 'CMP-2026-015', name: 'Loyalty Reactivation', channel: 'email', utm: 'loyalty-reactivation', coupon: 'COMEBACK10', budget: 200, starts: '2026-09-01', ends: '2026-09-30', owner: 'jonas.brandt' },
  { id: 'CMP-2026-016', name: 'Autumn Layers Social', channel: 'paid_social', utm: 'autumn-layers-social', coupon: null, budget: 800, starts: '2026-09-15', ends: '2026-10-31', owner: 'mira.okafor' },
  { id: 'CMP-2026-017', name: 'Autumn Newsletter', channel: 'email', utm: 'autumn-newsletter', coupon: 'AUTUMN12', budget: 150, starts: '2026-10-01', ends: '2026-10-14', owner: 'jonas.brandt' },
  { id: 'CMP-2026-018', name: 'Winter Tents Search', channel: 'paid_search', utm: 'winter-tents-search', coupon: null, budget: 1400, starts: '2026-10-20', ends: '2026-12-20', owner: 'lena.hoffmann' },
  { id: 'CMP-2026-019', name: 'Black Friday Teaser Social', channel: 'paid_social', utm: 'black-friday-teaser', coupon: null, budget: 1000, starts: '2026-11-10', ends: '2026-11-30', owner: 'mira.okafor' },
  { id: 'CMP-2026-020', name: 'Gift Guide Display', channel: 'display', utm: 'gift-guide-display', coupon: null, budget: 700, starts: '2026-11-15', ends: '2026-12-24', owner: 'lena.hoffmann' },
  { id: 'CMP-2026-021', name: 'Black Friday Newsletter', channel: 'email', utm: 'black-friday-newsletter', coupon: 'BLACKFRI20', budget: 250, starts: '2026-11-17', ends: '2026-11-30', owner: 'jonas.brandt' },
  { id: 'CMP-2026-022', name: 'Christmas Search', channel: 'paid_search', utm: 'christmas-search', coupon: null, budget: 1600, starts: '2026-12-01', ends: '2026-12-24', owner: 'lena.hoffmann' },
  { id: 'CMP-2026-023', name: 'Christmas Newsletter', channel: 'email', utm: 'christmas-newsletter', coupon: 'XMAS2026', budget: 250, starts: '2026-12-05', ends: '2026-12-20', owner: 'jonas.brandt' },
  { id: 'CMP-2026-024', name: 'Ski Season Opening Social', channel: 'paid_social', utm: 'ski-season-opening', coupon: null, budget: 600, starts: '2026-12-10', ends: '2027-01-15', owner: 'mira.okafor' },
];

const COMPANY_DOMAIN = 'acme-outdoor.example';

const UTM_BY_CHANNEL: Record<Campaign['channel'], { source: string; medium: string; referrer: string | null }> = {
  paid_search: { source: 'google', medium: 'cpc', referrer: 'https://www.google.com/' },
  paid_social: { source: 'facebook', medium: 'paid_social', referrer: 'https://l.facebook.com/' },
  display: { source: 'google', medium: 'display', referrer: 'https://googleads.g.doubleclick.net/' },
  email: { source: 'newsletter', medium: 'email', referrer: null },
  affiliate: { source: 'outdoor-deals', medium: 'affiliate', referrer: 'https://www.outdoor-deals.example/' },
};

/** Platform campaign ids of the paid campaigns, as the ad platforms number them. */
function platformOf(c: Campaign): { platform: 'google_ads' | 'meta'; account: string; id: string } | null {
  const n = Number(c.id.slice(-3));
  if (c.channel === 'paid_search' || c.channel === 'display') return { platform: 'google_ads', account: '482-193-7710', id: String(20814457700 + n * 37) };
  if (c.channel === 'paid_social') return { platform: 'meta', account: 'act_10158832', id: String(120210456789012000n + BigInt(n * 311)) };
  return null;
}

const couponPercent = (code: string): number => Number(/([0-9]+)$/.exec(code)?.[1] ?? '10') % 100 || 10;

// ---------------------------------------------------------------------------------------------------------
// The generator

export function generateSampleData(): SampleData {
  const rng = new Random(20260124);
  // Faults are recorded against the row object they were planted in; lines are resolved once every file's
  // rows are final, so that a row inserted later (a duplicate) cannot leave a stale line number behind.
  const planted: { file: string; row: object; what: string }[] = [];
  const plant = (file: string, row: object, what: string) => planted.push({ file, row, what });

  // ----- catalog ------------------------------------------------------------------------------------------
  const articles: Article[] = [];
  for (const category of CATEGORIES) {
    category.models.forEach((model, i) => {
      const [lo, hi] = category.prices;
      const base = lo + rng.next() * (hi - lo);
      const list_price = base > 100 ? Math.round(base / 10) * 10 - 0.01 : Math.round(base) - 0.05;
      const newIn2026 = rng.chance(0.15);
      const launched = newIn2026 ? Date.parse('2026-01-05T00:00:00Z') + rng.int(0, 280) * DAY : Date.parse('2019-03-01T00:00:00Z') + rng.int(0, 2400) * DAY;
      articles.push({
        sku: `${category.prefix}-${String(1001 + i * 7 + rng.int(0, 6)).padStart(4, '0')}`,
        product_name: model,
        category: category.name,
        brand: rng.pick(BRANDS),
        list_price: round2(list_price),
        weight_grams: rng.int(category.grams[0] / 10, category.grams[1] / 10) * 10,
        is_active: !rng.chance(0.06),
        launched_on: day(launched),
        updated_at: iso(Date.parse('2026-01-10T08:00:00Z') + rng.int(0, 300) * DAY + rng.int(0, 9 * 3600) * 1000),
        sellableFrom: Math.max(launched, Date.parse('2026-01-01T00:00:00Z')),
      });
    });
  }
  // A new tent, launched a week before the export and not sold yet: the row that carries the catalog's fault.
  const newTent: Article = {
    sku: 'TEN-1099',
    product_name: 'Polar Dome 3 Winter Tent',
    category: 'Tents',
    brand: 'Nordkamm',
    list_price: 899.0,
    weight_grams: 4850,
    is_active: true,
    launched_on: '2026-11-16',
    updated_at: '2026-11-20T09:12:44Z',
    sellableFrom: Number.POSITIVE_INFINITY,
  };
  articles.push(newTent);
  // The PIM's last edit before the export: a price change on a bestseller.
  articles.find((a) => a.category === 'footwear' && a.is_active)!.updated_at = '2026-11-19T16:05:31Z';
  articles.sort((a, b) => (a.sku < b.sku ? -1 : 1));
  const sellable = (at: number) => articles.filter((a) => a.is_active && a.sellableFrom <= at);

  // ----- customers ----------------------------------------------------------------------------------------
  interface Customer {
    customer_id: string;
    email: string;
    first_name: string;
    last_name: string;
    phone: string | null;
    birth_date: string | null;
    country: string;
    segment: 'consumer' | 'business';
    marketing_opt_in: boolean;
    created_at: string;
    createdMs: number;
    weight: number;
    deleted: boolean;
  }
  const customers: Customer[] = [];
  const emails = new Set<string>();
  const snapshotAt = Date.parse('2026-01-01T02:00:00Z');
  for (let i = 0; i < 300; i++) {
    const country = rng.weighted(COUNTRIES.map((c) => [c, c.weight] as const));
    const first = rng.pick(country.first);
    const last = rng.pick(country.last);
    const existing = i < 190;
    const createdMs = existing
      ? Date.parse('2022-03-01T00:00:00Z') + rng.int(0, 1395) * DAY + rng.int(6 * 3600, 22 * 3600) * 1000
      : Date.parse('2026-01-03T00:00:00Z') + rng.int(0, 318) * DAY + rng.int(6 * 3600, 22 * 3600) * 1000;
    let local = rng.weighted([[`${ascii(first)}.${ascii(last)}`, 5], [`${ascii(first)}${ascii(last)}`, 2], [`${ascii(first)[0]}.${ascii(last)}`, 2], [`${ascii(first)}.${ascii(last)}${rng.int(70, 99)}`, 2]]);
    const domain = rng.weighted(EMAIL_DOMAINS);
    while (emails.has(`${local}@${domain}`)) local += String(rng.int(1, 9));
    emails.add(`${local}@${domain}`);
    // Some addresses were typed with capitals in the CRM; silver normalises them.
    const typed = rng.chance(0.08) ? local.replace(/(^|\.)([a-z])/g, (_, dot: string, c: string) => dot + c.toUpperCase()) : local;
    customers.push({
      customer_id: `C-${String(100001 + i)}`,
      email: `${typed}@${domain}`,
      first_name: first,
      last_name: last,
      phone: rng.chance(0.7) ? `+${country.dial}${rng.int(1, 9)}${rng.chars(country.digits - 1, '0123456789')}` : null,
      birth_date: rng.chance(0.45) ? day(Date.parse('1950-01-01T00:00:00Z') + rng.int(0, 20000) * DAY) : null,
      country: country.code,
      segment: rng.chance(0.1) ? 'business' : 'consumer',
      marketing_opt_in: rng.chance(0.6),
      created_at: iso(createdMs),
      createdMs,
      weight: -Math.log(1 - rng.next()) * (rng.chance(0.1) ? 3 : 1),
      deleted: false,
    });
  }

  // ----- orders -------------------------------------------------------------------------------------------
  const MONTH_WEIGHT = [0.7, 0.7, 0.9, 1.1, 1.3, 1.4, 1.3, 1.1, 0.9, 0.9, 1.5];
  const firstDay = Date.parse('2026-01-03T00:00:00Z');
  const dayWeights: [number, number][] = [];
  for (let t = firstDay; t <= Date.parse('2026-11-24T00:00:00Z'); t += DAY) dayWeights.push([t, MONTH_WEIGHT[new Date(t).getUTCMonth()]!]);
  const orderTimes: number[] = [];
  while (orderTimes.length < 950) {
    const d = rng.weighted(dayWeights);
    const hour = rng.weighted([[7, 1], [9, 2], [11, 3], [13, 3], [15, 3], [17, 4], [19, 6], [21, 5], [22, 2]] as const);
    const t = d + hour * HOUR + rng.int(0, 3599) * 1000;
    if (t < EXTRACTED_AT - 10 * 60_000) orderTimes.push(t);
  }
  orderTimes.sort((a, b) => a - b);

  interface Line {
    order_id: string;
    line_number: number;
    sku: string;
    quantity: number;
    unit_price: number;
    tax_rate: number;
    updated_at: string;
  }
  interface Order {
    order_id: string;
    customer: Customer;
    status: 'pending' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'returned';
    channel: 'web' | 'app' | 'marketplace';
    currency: Currency;
    shipping_country: string;
    shipping_amount: number;
    discount_amount: number;
    coupon_code: string | null;
    orderedMs: number;
    updatedMs: number;
    lines: Line[];
    items: number;
    total: number;
  }

  // Three customers will ask to be erased (GDPR) later in the year: they never order.
  const erased = new Set(customers.filter((c) => c.createdMs < Date.parse('2026-05-01T00:00:00Z')).slice(40, 43).map((c) => c.customer_id));
  const orders: Order[] = [];
  orderTimes.forEach((orderedMs, i) => {
    const candidates = customers.filter((c) => c.createdMs < orderedMs - HOUR && !erased.has(c.customer_id));
    const customer = rng.weighted(candidates.map((c) => [c, c.weight + (c.segment === 'business' ? 1 : 0.05)] as const));
    const country = COUNTRY_BY_CODE.get(customer.country)!;
    const currency = country.currency;
    const channel = rng.weighted([['web', 60], ['app', 28], ['marketplace', 12]] as const);
    const order_id = `SO-${String(100001 + i)}`;
    const count = rng.weighted([[1, 55], [2, 28], [3, 12], [4, 5]] as const);
    const pool = sellable(orderedMs);
    const skus = new Set<Article>();
    while (skus.size < count) skus.add(rng.pick(pool));
    const lines: Line[] = [...skus].map((a, j) => ({
      order_id,
      line_number: j + 1,
      sku: a.sku,
      quantity: rng.weighted([[1, 80], [2, 15], [3, 5]] as const),
      unit_price: localPrice(a.list_price, currency),
      tax_rate: country.tax,
      updated_at: iso(orderedMs - (count - j) * rng.int(20, 240) * 1000),
    }));
    const items = round2(lines.reduce((s, l) => s + l.quantity * l.unit_price, 0));
    let coupon: string | null = null;
    if (channel !== 'marketplace') {
      // Newsletter coupons are redeemed often while they run; the affiliate's evergreen code now and then.
      for (const c of CAMPAIGNS) {
        if (coupon === null && c.coupon && Date.parse(c.starts) <= orderedMs && orderedMs < Date.parse(c.ends) + DAY && rng.chance(c.channel === 'email' ? 0.25 : 0.05)) coupon = c.coupon;
      }
      if (coupon === null && rng.chance(0.03)) coupon = 'WELCOME10';
    }
    const discount = coupon ? round2((items * couponPercent(coupon)) / 100) : 0;
    const shipping = shippingFee(currency, items);
    const total = round2(items - discount + shipping);

    const age = EXTRACTED_AT - orderedMs;
    let status: Order['status'];
    let updatedMs: number;
    const roll = rng.next();
    if (roll < 0.04) {
      status = 'cancelled';
      updatedMs = orderedMs + rng.int(1, 30) * HOUR;
    } else if (age < 2 * HOUR) {
      status = 'pending';
      updatedMs = orderedMs;
    } else if (age < DAY) {
      status = 'paid';
      updatedMs = orderedMs + rng.int(2, 10) * 60_000;
    } else if (age < 3 * DAY) {
      status = 'shipped';
      updatedMs = orderedMs + rng.int(20, 40) * HOUR;
    } else if (roll < 0.1) {
      status = 'returned';
      updatedMs = orderedMs + rng.int(8, 25) * DAY + rng.int(0, 10) * HOUR;
    } else if (roll < 0.12) {
      status = 'shipped';
      updatedMs = orderedMs + rng.int(20, 40) * HOUR;
    } else {
      status = 'delivered';
      updatedMs = orderedMs + rng.int(2, 5) * DAY + rng.int(0, 10) * HOUR;
    }
    if (updatedMs > EXTRACTED_AT) {
      status = age < DAY ? 'paid' : 'shipped';
      updatedMs = Math.min(orderedMs + 30 * HOUR, EXTRACTED_AT - 60_000);
    }
    orders.push({ order_id, customer, status, channel, currency, shipping_country: customer.country, shipping_amount: shipping, discount_amount: discount, coupon_code: coupon, orderedMs, updatedMs, lines, items, total });
  });

  // ----- CRM change log -----------------------------------------------------------------------------------
  interface Change {
    row: Record<string, unknown>;
    at: number;
  }
  const changes: Change[] = [];
  const stateOf = (c: Customer): Record<string, unknown> => ({
    customer_id: c.customer_id,
    email: c.email,
    first_name: c.first_name,
    last_name: c.last_name,
    phone: c.phone,
    birth_date: c.birth_date,
    country: c.country,
    segment: c.segment,
    marketing_opt_in: c.marketing_opt_in,
    created_at: c.created_at,
  });
  customers.forEach((c, i) => {
    const at = c.createdMs < snapshotAt ? snapshotAt + i * 2000 : c.createdMs;
    changes.push({ row: { ...stateOf(c), op: c.createdMs < snapshotAt ? 'r' : 'c' }, at });
  });
  // Updates, applied in time order so that each change carries the full new state.
  const updates: { c: Customer; at: number; kind: string }[] = [];
  for (let k = 0; k < 95; k++) {
    const c = rng.pick(customers.filter((x) => !erased.has(x.customer_id)));
    const from = Math.max(c.createdMs, snapshotAt) + HOUR;
    const at = from + rng.next() * (Date.parse('2026-11-24T20:00:00Z') - from);
    updates.push({ c, at, kind: rng.weighted([['phone', 30], ['opt_in', 30], ['email', 20], ['last_name', 12], ['segment', 8]] as const) });
  }
  updates.sort((a, b) => a.at - b.at);
  for (const u of updates) {
    const c = u.c;
    const country = COUNTRY_BY_CODE.get(c.country)!;
    if (u.kind === 'phone') c.phone = `+${country.dial}${rng.int(1, 9)}${rng.chars(country.digits - 1, '0123456789')}`;
    else if (u.kind === 'opt_in') c.marketing_opt_in = !c.marketing_opt_in;
    else if (u.kind === 'email') c.email = `${ascii(c.first_name)}.${ascii(c.last_name)}.${c.customer_id.slice(-4)}@${rng.weighted(EMAIL_DOMAINS)}`;
    else if (u.kind === 'last_name') c.last_name = rng.pick(country.last);
    else c.segment = c.segment === 'consumer' ? 'business' : 'consumer';
    changes.push({ row: { ...stateOf(c), op: 'u' }, at: u.at });
  }
  for (const id of erased) {
    const c = customers.find((x) => x.customer_id === id)!;
    c.deleted = true;
    changes.push({ row: { ...stateOf(c), op: 'd' }, at: Date.parse('2026-06-01T09:00:00Z') + rng.int(0, 150) * DAY + rng.int(0, 8 * 3600) * 1000 });
  }
  changes.sort((a, b) => a.at - b.at);
  let lsn = 2_841_000_000;
  const crmRows = changes.map(({ row, at }): Record<string, unknown> => {
    lsn += rng.int(800, 40_000);
    return { ...row, lsn, changed_at: iso(at) };
  });
  // Planted faults, on updates of customers that exist already, so that a rejected change leaves the
  // customer's previous state in place.
  const updateRows = crmRows.filter((r) => r['op'] === 'u');
  const lastUpdateOf = (row: Record<string, unknown>) => crmRows.filter((r) => r['customer_id'] === row['customer_id']).at(-1) === row;
  const crmFile = 'products/sales/crm_customers/customers.cdc.jsonl';
  {
    const malformed = updateRows.filter(lastUpdateOf)[30]!;
    malformed['email'] = String(malformed['email']).replace(/@([a-z]+)\./, '@$1,');
    plant(crmFile, malformed, `malformed email "${String(malformed['email'])}" on an update (comma for a dot)`);
    const noCountry = updateRows.filter(lastUpdateOf)[48]!;
    noCountry['country'] = null;
    plant(crmFile, noCountry, 'country null on an update (required, a two-letter code)');
    const badSegment = updateRows.filter(lastUpdateOf)[60]!;
    badSegment['segment'] = 'Business';
    plant(crmFile, badSegment, 'segment "Business" (capitalised), outside the enum');
  }

  // ----- payments -----------------------------------------------------------------------------------------
  const txns: { row: Record<string, unknown>; at: number }[] = [];
  const txnId = () => `txn_${rng.chars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`;
  for (const o of orders) {
    const method = rng.weighted([['card', 70], ['paypal', 20], ['klarna', 10]] as const);
    const brand = method === 'card' ? rng.weighted([['visa', 50], ['mastercard', 35], ['amex', 15]] as const) : null;
    const last4 = method === 'card' ? rng.chars(4, '0123456789') : null;
    const base = {
      order_id: o.order_id,
      currency: o.currency,
      payment_method: method,
      card_brand: brand,
      card_last4: last4,
      payer_email: o.customer.email.toLowerCase(),
      billing_country: o.shipping_country,
    };
    const tx = (type: 'charge' | 'refund', status: 'pending' | 'succeeded' | 'failed', amount: number, at: number) => {
      const fee = type === 'charge' && status === 'succeeded' ? round2(amount * 0.014 + FIXED_FEE[o.currency]) : 0;
      txns.push({
        row: {
          transaction_id: txnId(),
          order_id: o.order_id,
          type,
          status,
          amount: round2(amount),
          fee,
          ...Object.fromEntries(Object.entries(base).filter(([k]) => k !== 'order_id')),
          created_at: iso(at),
          available_on: day(at + (status === 'succeeded' ? 2 * DAY : 0)),
        },
        at,
      });
    };
    const chargeAt = o.orderedMs + rng.int(5, 40) * 1000;
    if (o.status === 'pending') {
      tx('charge', 'pending', o.total, chargeAt);
      continue;
    }
    if (o.status === 'cancelled') {
      if (rng.chance(0.5)) {
        tx('charge', 'failed', o.total, chargeAt);
      } else {
        tx('charge', 'succeeded', o.total, chargeAt);
        tx('refund', 'succeeded', -o.total, o.updatedMs);
      }
      continue;
    }
    if (rng.chance(0.04)) tx('charge', 'failed', o.total, chargeAt - 60_000);
    tx('charge', 'succeeded', o.total, chargeAt);
    if (o.status === 'returned') tx('refund', 'succeeded', -(o.items - o.discount_amount), o.updatedMs - rng.int(1, 5) * HOUR);
  }
  txns.sort((a, b) => a.at - b.at);
  const pspFile = 'products/finance/psp_transactions/transactions.jsonl';
  const pspRows = txns.map((t) => t.row);
  {
    // A webhook replay: the same charge delivered twice.
    const replayed = pspRows.filter((r) => r['type'] === 'charge' && r['status'] === 'succeeded' && String(r['created_at']).startsWith('2026-06'))[7]!;
    const replayCopy = { ...replayed };
    pspRows.splice(pspRows.indexOf(replayed) + 1, 0, replayCopy);
    // A shipping correction booked as a charge with a negative amount.
    const corrected = pspRows.filter((r) => r['type'] === 'charge' && r['status'] === 'succeeded' && String(r['created_at']).startsWith('2026-08'))[11]!;
    const correctionAt = Date.parse(String(corrected['created_at'])) + 26 * HOUR;
    const correction = { ...corrected, transaction_id: txnId(), amount: -4.95, fee: 0, created_at: iso(correctionAt), available_on: day(correctionAt + 2 * DAY) };
    pspRows.splice(pspRows.findIndex((r) => Date.parse(String(r['created_at'])) > correctionAt), 0, correction);
    // A failed attempt that arrived without its status.
    const failed = pspRows.filter((r) => r['status'] === 'failed' && String(r['created_at']).startsWith('2026-10'))[0]!;
    delete failed['status'];
    plant(pspFile, replayCopy, `duplicate transaction_id ${String(replayed['transaction_id'])} (the same charge delivered twice)`);
    plant(pspFile, correction, 'a charge with a negative amount (-4.95, a shipping correction booked the wrong way)');
    plant(pspFile, failed, 'status missing on a failed charge');
  }

  // ----- shop export --------------------------------------------------------------------------------------
  const orderRows = orders.map((o) => ({
    order_id: o.order_id,
    customer_id: o.customer.customer_id,
    status: o.status,
    channel: o.channel,
    currency: o.currency,
    shipping_country: o.shipping_country,
    shipping_amount: money(o.shipping_amount),
    discount_amount: money(o.discount_amount),
    coupon_code: o.coupon_code,
    ordered_at: iso(o.orderedMs),
    updated_at: iso(o.updatedMs),
  }));
  const lineRows = orders.flatMap((o) => o.lines.map((l) => ({ ...l, unit_price: money(l.unit_price), tax_rate: String(l.tax_rate) })));
  const ordersFile = 'products/sales/shop_orders/orders.csv';
  const linesFile = 'products/sales/shop_orders/order_lines.csv';
  {
    const negative = orderRows.filter((r) => r.status === 'delivered' && r.shipping_amount !== '0.00' && r.ordered_at.startsWith('2026-0'))[6]!;
    negative.shipping_amount = `-${negative.shipping_amount}`;
    plant(ordersFile, negative, `negative shipping_amount ${negative.shipping_amount}`);
    const refunded = orderRows.filter((r) => r.status === 'returned' && r.ordered_at.startsWith('2026-07'))[1]!;
    refunded.status = 'refunded' as never;
    plant(ordersFile, refunded, 'status "refunded", outside the enum (a status the shop added without telling anyone)');
    const twice = orderRows.filter((r) => r.ordered_at.startsWith('2026-09'))[20]!;
    const twiceCopy = { ...twice };
    orderRows.splice(orderRows.indexOf(twice) + 1, 0, twiceCopy);
    plant(ordersFile, twiceCopy, `duplicate order_id ${twice.order_id} (the row exported twice)`);
    // On an order without a coupon, so that the order's remaining line still covers its total.
    const withoutCoupon = new Set(orders.filter((o) => o.coupon_code === null).map((o) => o.order_id));
    const zero = lineRows.filter((l) => l.line_number === 2 && l.quantity === 1 && withoutCoupon.has(l.order_id) && l.updated_at.startsWith('2026-05'))[3]!;
    zero.quantity = 0;
    plant(linesFile, zero, `quantity 0 on line 2 of ${zero.order_id}`);
  }
  const catalogFile = 'products/sales/product_catalog/products.csv';
  const catalogRows = articles.map((a) => ({ ...a, list_price: money(a.list_price), currency: 'EUR' }));
  plant(catalogFile, catalogRows[articles.indexOf(newTent)]!, 'category "Tents" (capitalised), outside the enum, on an article not sold yet');

  // ----- campaign plan and ad spend -----------------------------------------------------------------------
  const planRows = CAMPAIGNS.map((c, i) => {
    const p = platformOf(c);
    return {
      campaign_id: c.id,
      campaign_name: c.name,
      channel: c.channel,
      platform: p?.platform ?? null,
      platform_campaign_id: p?.id ?? null,
      utm_campaign: c.utm,
      coupon_code: c.coupon,
      budget: money(c.budget),
      currency: 'EUR',
      starts_on: c.starts,
      ends_on: c.ends,
      owner_email: `${c.owner}@${COMPANY_DOMAIN}`,
      updated_at: iso(Math.min(Date.parse(c.starts) - rng.int(5, 40) * DAY, Date.parse('2026-11-18T10:00:00Z')) + rng.int(8 * 3600, 17 * 3600) * 1000 + i),
    };
  });
  const planFile = 'products/marketing/campaign_plan/campaigns.csv';
  {
    const noBudget = planRows.find((r) => r.campaign_id === 'CMP-2026-010')!;
    noBudget.budget = null as never;
    plant(planFile, noBudget, 'budget empty (null) for the influencer collaboration, still being negotiated');
    const typo = planRows.find((r) => r.campaign_id === 'CMP-2026-013')!;
    typo.ends_on = '2026-05-15';
    plant(planFile, typo, 'ends_on 2026-05-15 before starts_on 2026-07-01 (a typo for 08-15): valid per contract, caught by a quality check');
    // The plan was last edited the day of the Black Friday newsletter's final review.
    planRows.find((r) => r.campaign_id === 'CMP-2026-021')!.updated_at = '2026-11-18T10:42:17Z';
  }

  const spendRows: Record<string, unknown>[] = [];
  for (const c of CAMPAIGNS) {
    const p = platformOf(c);
    if (!p) continue;
    const start = Date.parse(c.starts);
    const end = Math.min(Date.parse(c.ends), Date.parse('2026-11-23T00:00:00Z'));
    const days = Math.round((Date.parse(c.ends) - start) / DAY) + 1;
    for (let t = start; t <= end; t += DAY) {
      const spend = round2((c.budget / days) * (0.7 + rng.next() * 0.6));
      const cpm = c.channel === 'display' ? 3 + rng.next() * 2 : c.channel === 'paid_social' ? 6 + rng.next() * 4 : 18 + rng.next() * 10;
      const impressions = Math.round((spend / cpm) * 1000);
      const ctr = c.channel === 'paid_search' ? 0.03 + rng.next() * 0.03 : c.channel === 'display' ? 0.002 + rng.next() * 0.003 : 0.008 + rng.next() * 0.01;
      spendRows.push({
        platform: p.platform,
        account_id: p.account,
        platform_campaign_id: p.id,
        campaign_name: `ACME | ${c.name} | ${c.utm.split('-').slice(-1)[0]!.toUpperCase()}`,
        spend_date: day(t),
        impressions,
        clicks: Math.round(impressions * ctr),
        spend,
        currency: 'EUR',
        pulled_at: iso(t + DAY + 6 * HOUR + rng.int(0, 900) * 1000),
      });
    }
  }
  spendRows.sort((a, b) => (String(a['pulled_at']) < String(b['pulled_at']) ? -1 : String(a['pulled_at']) > String(b['pulled_at']) ? 1 : 0));
  const spendFile = 'products/marketing/ad_spend/ad_spend.jsonl';
  {
    const asText = spendRows.filter((r) => r['platform'] === 'google_ads' && String(r['spend_date']).startsWith('2026-05'))[9]!;
    asText['clicks'] = String(asText['clicks']);
    plant(spendFile, asText, `clicks as a string ("${String(asText['clicks'])}") instead of an integer`);
    const credit = spendRows.filter((r) => r['platform'] === 'meta' && String(r['spend_date']).startsWith('2026-06'))[14]!;
    credit['spend'] = -12.4;
    plant(spendFile, credit, 'negative spend -12.40 (a credit the platform booked on a delivery day)');
    const lower = spendRows.filter((r) => r['platform'] === 'google_ads' && String(r['spend_date']).startsWith('2026-09'))[3]!;
    lower['currency'] = 'eur';
    plant(spendFile, lower, 'currency "eur" in lower case, against the ISO 4217 pattern');
    const glitch = spendRows.filter((r) => r['platform'] === 'meta' && String(r['spend_date']).startsWith('2026-10'))[5]!;
    glitch['impressions'] = 0;
    glitch['clicks'] = 3;
    glitch['spend'] = 0;
    plant(spendFile, glitch, 'clicks 3 with impressions 0 (a tracking glitch): valid per contract, caught by a quality check');
  }

  // ----- FX rates -----------------------------------------------------------------------------------------
  const holidays = new Set(['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-01']);
  const quote = { USD: { rate: 1.172, digits: 4 }, GBP: { rate: 0.8712, digits: 5 }, CHF: { rate: 0.9318, digits: 4 }, SEK: { rate: 10.9645, digits: 4 } } as const;
  const current: Record<string, number> = { USD: quote.USD.rate, GBP: quote.GBP.rate, CHF: quote.CHF.rate, SEK: quote.SEK.rate };
  const fxRows: Record<string, unknown>[] = [];
  for (let t = Date.parse('2026-01-02T00:00:00Z'); t <= Date.parse('2026-11-24T00:00:00Z'); t += DAY) {
    const weekday = new Date(t).getUTCDay();
    if (weekday === 0 || weekday === 6 || holidays.has(day(t))) continue;
    for (const cur of ['USD', 'GBP', 'CHF', 'SEK'] as const) {
      current[cur] = current[cur]! * (1 + (rng.next() - 0.5) * 0.008);
      fxRows.push({
        rate_date: day(t),
        base_currency: 'EUR',
        quote_currency: cur,
        rate: Number(current[cur]!.toFixed(quote[cur].digits)),
        series_key: `EXR.D.${cur}.EUR.SP00.A`,
        pulled_at: iso(t + 15 * HOUR + 20 * 60_000 + rng.int(0, 120) * 1000),
      });
    }
  }
  const fxFile = 'products/finance/ecb_fx_rates/rates.jsonl';
  {
    const zero = fxRows.find((r) => r['rate_date'] === '2026-08-12' && r['quote_currency'] === 'CHF')!;
    zero['rate'] = 0;
    plant(fxFile, zero, 'rate 0 for CHF on 2026-08-12 (the API returned a missing observation as zero)');
    const original = fxRows.find((r) => r['rate_date'] === '2026-07-15' && r['quote_currency'] === 'USD')!;
    const repull = { ...original, rate: Number((Number(original['rate']) + 0.0011).toFixed(4)), pulled_at: '2026-07-16T15:21:09Z' };
    fxRows.splice(fxRows.findIndex((r) => String(r['pulled_at']) > '2026-07-16T15:21:09Z'), 0, repull);
    plant(fxFile, repull, 'duplicate key (2026-07-15, USD): a re-pull with a corrected rate the next day');
  }

  // ----- clickstream (November; the topic keeps 30 days) --------------------------------------------------
  const events: Record<string, unknown>[] = [];
  const browserOf = new Map<string, string>();
  const browser = (c: Customer | null) => {
    if (!c) return rng.uuid();
    if (!browserOf.has(c.customer_id) || rng.chance(0.2)) browserOf.set(c.customer_id, rng.uuid());
    return browserOf.get(c.customer_id)!;
  };
  const ip = () => rng.weighted([[`100.${rng.int(64, 127)}.${rng.int(0, 255)}.0`, 4], [`192.0.2.0`, 1], [`198.51.100.0`, 1], [`203.0.113.0`, 1]] as const);
  const SITE = 'https://www.acme-outdoor.example';
  const liveCampaigns = (at: number) => CAMPAIGNS.filter((c) => Date.parse(c.starts) <= at && at < Date.parse(c.ends) + DAY);
  interface SessionPlan {
    start: number;
    customer: Customer | null;
    loggedInFrom: number;
    campaign: Campaign | null;
    pages: { type: string; path: string; sku: string | null; order: string | null }[];
  }
  const emit = (s: SessionPlan) => {
    const session_id = rng.uuid();
    const anonymous_id = browser(s.customer);
    const device = rng.weighted([['desktop', 45], ['mobile', 48], ['tablet', 7]] as const);
    const country = s.customer?.country ?? rng.weighted(COUNTRIES.map((c) => [c.code, c.weight] as const));
    const address = ip();
    let t = s.start;
    let previous: string | null = s.campaign ? UTM_BY_CHANNEL[s.campaign.channel].referrer : rng.weighted([['https://www.google.com/', 5], [null, 3], ['https://duckduckgo.com/', 1]] as const);
    s.pages.forEach((page, k) => {
      const utm = k === 0 && s.campaign ? { source: UTM_BY_CHANNEL[s.campaign.channel].source, medium: UTM_BY_CHANNEL[s.campaign.channel].medium, campaign: s.campaign.utm, ...(rng.chance(0.5) ? { content: rng.pick(['hero', 'carousel-1', 'text-ad-b', 'banner-300x250']) } : {}) } : null;
      const url = `${SITE}${page.path}${utm ? `?utm_source=${utm.source}&utm_medium=${utm.medium}&utm_campaign=${utm.campaign}` : ''}`;
      const received = t + rng.int(150, 2500) + (device === 'mobile' && rng.chance(0.05) ? rng.int(30, 600) * 1000 : 0);
      events.push({
        event_id: rng.uuid(),
        event_type: page.type,
        event_time: isoMillis(t),
        received_at: isoMillis(received),
        session_id,
        anonymous_id,
        customer_id: s.customer && k >= s.loggedInFrom ? s.customer.customer_id : null,
        page_url: url,
        referrer: previous,
        utm,
        sku: page.sku,
        order_id: page.order,
        device_type: device,
        country,
        ip_address: address,
      });
      previous = url.split('?')[0]!;
      t += rng.int(8, 240) * 1000;
    });
  };
  const browsePages = (n: number, at: number) => {
    const pages: SessionPlan['pages'] = [{ type: 'page_view', path: rng.pick(['/', '/c/tents', '/c/footwear', '/c/apparel', '/c/backpacks', '/sale']), sku: null, order: null }];
    for (let k = 1; k < n; k++) {
      const a = rng.pick(sellable(at));
      const type = rng.weighted([['product_view', 6], ['page_view', 2], ['add_to_cart', 1]] as const);
      pages.push({ type, path: type === 'page_view' ? rng.pick(['/c/sleeping-bags', '/c/cooking', '/journal/layering-guide', '/stores']) : `/p/${a.sku.toLowerCase()}`, sku: type === 'page_view' ? null : a.sku, order: null });
    }
    return pages;
  };
  const novStart = Date.parse('2026-11-01T00:00:00Z');
  for (const o of orders.filter((x) => x.channel === 'web' && x.orderedMs >= novStart)) {
    const live = liveCampaigns(o.orderedMs).filter((c) => c.channel !== 'email' || o.customer.marketing_opt_in);
    const fromCampaign = live.length > 0 && rng.chance(0.55) ? rng.pick(live) : null;
    // Some customers clicked an ad days before and came back directly to buy: last-click attribution finds that.
    if (!fromCampaign && live.length > 0 && rng.chance(0.4)) {
      const before = o.orderedMs - rng.int(1, 12) * DAY - rng.int(0, 12) * HOUR;
      if (before > novStart) emit({ start: before, customer: o.customer, loggedInFrom: 0, campaign: rng.pick(live), pages: browsePages(rng.int(2, 5), before) });
    }
    const pages: SessionPlan['pages'] = [{ type: 'page_view', path: rng.pick(['/', '/sale', `/c/${sellable(o.orderedMs)[0]!.category.replace('_', '-')}`]), sku: null, order: null }];
    for (const l of o.lines) {
      pages.push({ type: 'product_view', path: `/p/${l.sku.toLowerCase()}`, sku: l.sku, order: null });
      pages.push({ type: 'add_to_cart', path: `/p/${l.sku.toLowerCase()}`, sku: l.sku, order: null });
    }
    pages.push({ type: 'checkout_started', path: '/checkout', sku: null, order: null });
    pages.push({ type: 'order_completed', path: '/checkout/confirmation', sku: null, order: o.order_id });
    const duration = pages.length * 70_000;
    emit({ start: o.orderedMs - duration, customer: o.customer, loggedInFrom: rng.chance(0.6) ? 0 : pages.length - 2, campaign: fromCampaign, pages });
  }
  for (let k = 0; k < 100; k++) {
    const start = novStart + rng.next() * (EXTRACTED_AT - 2 * HOUR - novStart);
    const customer = rng.chance(0.25) ? rng.pick(customers.filter((c) => c.createdMs < start && !c.deleted)) : null;
    const live = liveCampaigns(start);
    emit({ start, customer, loggedInFrom: 0, campaign: live.length > 0 && rng.chance(0.4) ? rng.pick(live) : null, pages: browsePages(rng.int(1, 7), start) });
  }
  events.sort((a, b) => (String(a['received_at']) < String(b['received_at']) ? -1 : 1));
  const eventsFile = 'products/marketing/web_events/events.jsonl';
  {
    const anonymous = events.filter((e) => e['customer_id'] === null);
    const typo = anonymous.filter((e) => e['event_type'] === 'page_view')[40]!;
    typo['event_type'] = 'page_veiw';
    plant(eventsFile, typo, 'event_type "page_veiw" (a typo in one app build), outside the enum');
    const orphan = anonymous.filter((e) => e['event_type'] === 'product_view')[85]!;
    delete orphan['session_id'];
    plant(eventsFile, orphan, 'session_id missing');
    const replay = anonymous.filter((e) => e['event_type'] === 'add_to_cart')[12]!;
    const replayEvent = { ...replay };
    events.splice(events.indexOf(replay) + 1, 0, replayEvent);
    plant(eventsFile, replayEvent, `duplicate event_id ${String(replay['event_id'])} (delivered twice: at least once)`);
    const late = anonymous.filter((e) => e['event_type'] === 'product_view' && e['device_type'] === 'mobile' && e !== orphan)[60]!;
    late['event_time'] = '2026-06-14T18:03:27.512Z';
    plant(eventsFile, late, 'event_time 2026-06-14, five months before received_at (an offline phone replaying its queue): valid per contract, caught by a quality check and dropped by sessions');
  }

  const rowsOf = new Map<string, { rows: readonly object[]; header: boolean }>([
    [crmFile, { rows: crmRows, header: false }],
    [ordersFile, { rows: orderRows, header: true }],
    [linesFile, { rows: lineRows, header: true }],
    [catalogFile, { rows: catalogRows, header: true }],
    [eventsFile, { rows: events, header: false }],
    [spendFile, { rows: spendRows, header: false }],
    [planFile, { rows: planRows, header: true }],
    [fxFile, { rows: fxRows, header: false }],
    [pspFile, { rows: pspRows, header: false }],
  ]);
  const faults = planted.map(({ file, row, what }): PlantedFault => {
    const { rows, header } = rowsOf.get(file)!;
    const index = rows.indexOf(row);
    if (index < 0) throw new Error(`planted fault not found in ${file}: ${what}`);
    return { file, line: index + (header ? 2 : 1), what };
  });
  faults.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));

  const files: SampleFile[] = [
    { path: crmFile, text: jsonl(crmRows) },
    { path: ordersFile, text: csv(['order_id', 'customer_id', 'status', 'channel', 'currency', 'shipping_country', 'shipping_amount', 'discount_amount', 'coupon_code', 'ordered_at', 'updated_at'], orderRows) },
    { path: linesFile, text: csv(['order_id', 'line_number', 'sku', 'quantity', 'unit_price', 'tax_rate', 'updated_at'], lineRows) },
    { path: catalogFile, text: csv(['sku', 'product_name', 'category', 'brand', 'list_price', 'currency', 'weight_grams', 'is_active', 'launched_on', 'updated_at'], catalogRows) },
    { path: eventsFile, text: jsonl(events) },
    { path: spendFile, text: jsonl(spendRows) },
    { path: planFile, text: csv(['campaign_id', 'campaign_name', 'channel', 'platform', 'platform_campaign_id', 'utm_campaign', 'coupon_code', 'budget', 'currency', 'starts_on', 'ends_on', 'owner_email', 'updated_at'], planRows) },
    { path: fxFile, text: jsonl(fxRows) },
    { path: pspFile, text: jsonl(pspRows) },
  ];
  return { files, faults };
}

const FIXED_FEE: Record<Currency, number> = { EUR: 0.25, GBP: 0.2, USD: 0.3, CHF: 0.3, SEK: 1.8 };

/** Shop prices: list price converted and rounded to a price point (x9.99 style; whole kronor in Sweden). */
function localPrice(eur: number, currency: Currency): number {
  switch (currency) {
    case 'EUR':
      return eur;
    case 'GBP':
      return Math.max(0.99, Math.round(eur * 0.87) - 0.01);
    case 'USD':
      return Math.max(0.99, Math.round(eur * 1.12) - 0.01);
    case 'CHF':
      return Math.max(0.95, Math.round(eur * 0.97 * 20) / 20 - 0.05);
    case 'SEK':
      return Math.round((eur * 11.3) / 10) * 10 - 1;
  }
}

/** Free shipping above a threshold, else a flat fee, per currency. */
function shippingFee(currency: Currency, items: number): number {
  const [threshold, fee] = ({ EUR: [50, 4.95], GBP: [45, 3.95], USD: [60, 5.95], CHF: [60, 6.9], SEK: [600, 49] } as const)[currency];
  return items >= threshold ? 0 : fee;
}
