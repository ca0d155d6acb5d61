/** Static reference data for the demo generator: departments, geography, models, clients, names. */

export const INTENTS = ['customer_support', 'code_gen', 'analysis', 'content', 'other'] as const;
export type Intent = (typeof INTENTS)[number];

export interface Department {
  id: string;
  /** Relative headcount. */
  weight: number;
  businessUnit: string;
  technical: boolean;
  /** Preference over INTENTS (same order). */
  intents: [number, number, number, number, number];
}

export const DEPARTMENTS: Department[] = [
  { id: 'engineering', weight: 18, businessUnit: 'Technology', technical: true, intents: [0.04, 0.66, 0.15, 0.08, 0.07] },
  { id: 'support', weight: 12, businessUnit: 'Go-to-Market', technical: false, intents: [0.76, 0.02, 0.1, 0.07, 0.05] },
  { id: 'sales', weight: 10, businessUnit: 'Go-to-Market', technical: false, intents: [0.14, 0.02, 0.3, 0.46, 0.08] },
  { id: 'customer-success', weight: 6, businessUnit: 'Go-to-Market', technical: false, intents: [0.55, 0.02, 0.2, 0.15, 0.08] },
  { id: 'marketing', weight: 6, businessUnit: 'Go-to-Market', technical: false, intents: [0.04, 0.03, 0.25, 0.61, 0.07] },
  { id: 'data-science', weight: 6, businessUnit: 'Technology', technical: true, intents: [0.03, 0.35, 0.5, 0.05, 0.07] },
  { id: 'product', weight: 5, businessUnit: 'Product', technical: false, intents: [0.1, 0.1, 0.35, 0.35, 0.1] },
  { id: 'operations', weight: 5, businessUnit: 'Operations', technical: false, intents: [0.2, 0.05, 0.45, 0.15, 0.15] },
  { id: 'finance', weight: 4, businessUnit: 'G&A', technical: false, intents: [0.05, 0.05, 0.7, 0.1, 0.1] },
  { id: 'it', weight: 4, businessUnit: 'Technology', technical: true, intents: [0.3, 0.3, 0.2, 0.1, 0.1] },
  { id: 'platform', weight: 4, businessUnit: 'Technology', technical: true, intents: [0.05, 0.6, 0.2, 0.05, 0.1] },
  { id: 'hr', weight: 3, businessUnit: 'G&A', technical: false, intents: [0.2, 0.01, 0.2, 0.49, 0.1] },
  { id: 'legal', weight: 3, businessUnit: 'G&A', technical: false, intents: [0.05, 0.01, 0.4, 0.45, 0.09] },
  { id: 'security', weight: 3, businessUnit: 'Technology', technical: true, intents: [0.05, 0.4, 0.35, 0.1, 0.1] },
  { id: 'research', weight: 3, businessUnit: 'Technology', technical: true, intents: [0.03, 0.25, 0.55, 0.1, 0.07] },
  { id: 'design', weight: 2, businessUnit: 'Product', technical: false, intents: [0.05, 0.1, 0.15, 0.6, 0.1] },
  { id: 'procurement', weight: 2, businessUnit: 'G&A', technical: false, intents: [0.1, 0.02, 0.55, 0.2, 0.13] },
  { id: 'compliance', weight: 2, businessUnit: 'G&A', technical: false, intents: [0.05, 0.02, 0.55, 0.3, 0.08] },
  { id: 'communications', weight: 1.5, businessUnit: 'Go-to-Market', technical: false, intents: [0.05, 0.01, 0.14, 0.7, 0.1] },
  { id: 'executive', weight: 1, businessUnit: 'G&A', technical: false, intents: [0.05, 0.01, 0.5, 0.34, 0.1] },
];

export interface City {
  city: string;
  region: string;
  lat: number;
  lon: number;
  /** Standard UTC offset in hours. */
  tz: number;
}

export interface Country {
  code: string;
  /** Relative share of users. */
  weight: number;
  cities: City[];
}

const c = (city: string, region: string, lat: number, lon: number, tz: number): City => ({ city, region, lat, lon, tz });

export const COUNTRIES: Country[] = [
  {
    code: 'US',
    weight: 30,
    cities: [
      c('New York', 'New York', 40.7128, -74.006, -5),
      c('San Francisco', 'California', 37.7749, -122.4194, -8),
      c('Chicago', 'Illinois', 41.8781, -87.6298, -6),
      c('Austin', 'Texas', 30.2672, -97.7431, -6),
      c('Seattle', 'Washington', 47.6062, -122.3321, -8),
      c('Boston', 'Massachusetts', 42.3601, -71.0589, -5),
    ],
  },
  {
    code: 'CA',
    weight: 4,
    cities: [
      c('Toronto', 'Ontario', 43.6532, -79.3832, -5),
      c('Vancouver', 'British Columbia', 49.2827, -123.1207, -8),
      c('Montreal', 'Quebec', 45.5017, -73.5673, -5),
    ],
  },
  {
    code: 'MX',
    weight: 2,
    cities: [
      c('Mexico City', 'Ciudad de México', 19.4326, -99.1332, -6),
      c('Guadalajara', 'Jalisco', 20.6597, -103.3496, -6),
      c('Monterrey', 'Nuevo León', 25.6866, -100.3161, -6),
    ],
  },
  {
    code: 'BR',
    weight: 3,
    cities: [
      c('São Paulo', 'São Paulo', -23.5505, -46.6333, -3),
      c('Rio de Janeiro', 'Rio de Janeiro', -22.9068, -43.1729, -3),
      c('Belo Horizonte', 'Minas Gerais', -19.9167, -43.9345, -3),
    ],
  },
  { code: 'AR', weight: 1, cities: [c('Buenos Aires', 'Buenos Aires', -34.6037, -58.3816, -3), c('Córdoba', 'Córdoba', -31.4201, -64.1888, -3)] },
  { code: 'CL', weight: 0.6, cities: [c('Santiago', 'Santiago Metropolitan', -33.4489, -70.6693, -4), c('Valparaíso', 'Valparaíso', -33.0472, -71.6127, -4)] },
  { code: 'CO', weight: 0.8, cities: [c('Bogotá', 'Bogotá D.C.', 4.711, -74.0721, -5), c('Medellín', 'Antioquia', 6.2442, -75.5812, -5)] },
  { code: 'PE', weight: 0.4, cities: [c('Lima', 'Lima', -12.0464, -77.0428, -5), c('Arequipa', 'Arequipa', -16.409, -71.5375, -5)] },
  {
    code: 'GB',
    weight: 8,
    cities: [c('London', 'England', 51.5074, -0.1278, 0), c('Manchester', 'England', 53.4808, -2.2426, 0), c('Edinburgh', 'Scotland', 55.9533, -3.1883, 0)],
  },
  { code: 'IE', weight: 1.5, cities: [c('Dublin', 'Leinster', 53.3498, -6.2603, 0), c('Cork', 'Munster', 51.8985, -8.4756, 0)] },
  {
    code: 'FR',
    weight: 3,
    cities: [
      c('Paris', 'Île-de-France', 48.8566, 2.3522, 1),
      c('Lyon', 'Auvergne-Rhône-Alpes', 45.764, 4.8357, 1),
      c('Toulouse', 'Occitanie', 43.6047, 1.4442, 1),
    ],
  },
  {
    code: 'DE',
    weight: 5,
    cities: [
      c('Berlin', 'Berlin', 52.52, 13.405, 1),
      c('Munich', 'Bavaria', 48.1351, 11.582, 1),
      c('Hamburg', 'Hamburg', 53.5511, 9.9937, 1),
      c('Frankfurt', 'Hesse', 50.1109, 8.6821, 1),
    ],
  },
  { code: 'NL', weight: 2, cities: [c('Amsterdam', 'North Holland', 52.3676, 4.9041, 1), c('Rotterdam', 'South Holland', 51.9244, 4.4777, 1)] },
  { code: 'BE', weight: 0.8, cities: [c('Brussels', 'Brussels-Capital', 50.8503, 4.3517, 1), c('Antwerp', 'Flanders', 51.2194, 4.4025, 1)] },
  {
    code: 'ES',
    weight: 2,
    cities: [
      c('Madrid', 'Community of Madrid', 40.4168, -3.7038, 1),
      c('Barcelona', 'Catalonia', 41.3874, 2.1686, 1),
      c('Valencia', 'Valencian Community', 39.4699, -0.3763, 1),
    ],
  },
  { code: 'PT', weight: 0.8, cities: [c('Lisbon', 'Lisbon', 38.7223, -9.1393, 0), c('Porto', 'Porto', 41.1579, -8.6291, 0)] },
  {
    code: 'IT',
    weight: 1.5,
    cities: [c('Milan', 'Lombardy', 45.4642, 9.19, 1), c('Rome', 'Lazio', 41.9028, 12.4964, 1), c('Turin', 'Piedmont', 45.0703, 7.6869, 1)],
  },
  { code: 'CH', weight: 1, cities: [c('Zurich', 'Zurich', 47.3769, 8.5417, 1), c('Geneva', 'Geneva', 46.2044, 6.1432, 1)] },
  { code: 'AT', weight: 0.5, cities: [c('Vienna', 'Vienna', 48.2082, 16.3738, 1), c('Graz', 'Styria', 47.0707, 15.4395, 1)] },
  { code: 'SE', weight: 0.8, cities: [c('Stockholm', 'Stockholm', 59.3293, 18.0686, 1), c('Gothenburg', 'Västra Götaland', 57.7089, 11.9746, 1)] },
  { code: 'NO', weight: 0.4, cities: [c('Oslo', 'Oslo', 59.9139, 10.7522, 1), c('Bergen', 'Vestland', 60.3913, 5.3221, 1)] },
  { code: 'DK', weight: 0.5, cities: [c('Copenhagen', 'Capital Region', 55.6761, 12.5683, 1), c('Aarhus', 'Central Jutland', 56.1629, 10.2039, 1)] },
  { code: 'FI', weight: 0.4, cities: [c('Helsinki', 'Uusimaa', 60.1699, 24.9384, 2), c('Tampere', 'Pirkanmaa', 61.4978, 23.761, 2)] },
  {
    code: 'PL',
    weight: 1.5,
    cities: [
      c('Warsaw', 'Masovian', 52.2297, 21.0122, 1),
      c('Kraków', 'Lesser Poland', 50.0647, 19.945, 1),
      c('Wrocław', 'Lower Silesian', 51.1079, 17.0385, 1),
    ],
  },
  { code: 'CZ', weight: 0.6, cities: [c('Prague', 'Prague', 50.0755, 14.4378, 1), c('Brno', 'South Moravian', 49.1951, 16.6068, 1)] },
  { code: 'RO', weight: 0.6, cities: [c('Bucharest', 'Bucharest', 44.4268, 26.1025, 2), c('Cluj-Napoca', 'Cluj', 46.7712, 23.6236, 2)] },
  { code: 'GR', weight: 0.3, cities: [c('Athens', 'Attica', 37.9838, 23.7275, 2), c('Thessaloniki', 'Central Macedonia', 40.6401, 22.9444, 2)] },
  { code: 'TR', weight: 0.6, cities: [c('Istanbul', 'Istanbul', 41.0082, 28.9784, 3), c('Ankara', 'Ankara', 39.9334, 32.8597, 3)] },
  { code: 'UA', weight: 0.6, cities: [c('Kyiv', 'Kyiv City', 50.4501, 30.5234, 2), c('Lviv', 'Lviv Oblast', 49.8397, 24.0297, 2)] },
  { code: 'IL', weight: 0.8, cities: [c('Tel Aviv', 'Tel Aviv District', 32.0853, 34.7818, 2), c('Haifa', 'Haifa District', 32.794, 34.9896, 2)] },
  { code: 'AE', weight: 0.6, cities: [c('Dubai', 'Dubai', 25.2048, 55.2708, 4), c('Abu Dhabi', 'Abu Dhabi', 24.4539, 54.3773, 4)] },
  { code: 'SA', weight: 0.3, cities: [c('Riyadh', 'Riyadh Province', 24.7136, 46.6753, 3), c('Jeddah', 'Makkah Province', 21.4858, 39.1925, 3)] },
  { code: 'EG', weight: 0.3, cities: [c('Cairo', 'Cairo Governorate', 30.0444, 31.2357, 2), c('Alexandria', 'Alexandria Governorate', 31.2001, 29.9187, 2)] },
  { code: 'ZA', weight: 0.6, cities: [c('Johannesburg', 'Gauteng', -26.2041, 28.0473, 2), c('Cape Town', 'Western Cape', -33.9249, 18.4241, 2)] },
  { code: 'NG', weight: 0.4, cities: [c('Lagos', 'Lagos State', 6.5244, 3.3792, 1), c('Abuja', 'Federal Capital Territory', 9.0765, 7.3986, 1)] },
  { code: 'KE', weight: 0.3, cities: [c('Nairobi', 'Nairobi County', -1.2921, 36.8219, 3), c('Mombasa', 'Mombasa County', -4.0435, 39.6682, 3)] },
  { code: 'MA', weight: 0.2, cities: [c('Casablanca', 'Casablanca-Settat', 33.5731, -7.5898, 1), c('Rabat', 'Rabat-Salé-Kénitra', 34.0209, -6.8416, 1)] },
  {
    code: 'IN',
    weight: 9,
    cities: [
      c('Bangalore', 'Karnataka', 12.9716, 77.5946, 5.5),
      c('Mumbai', 'Maharashtra', 19.076, 72.8777, 5.5),
      c('Hyderabad', 'Telangana', 17.385, 78.4867, 5.5),
      c('Pune', 'Maharashtra', 18.5204, 73.8567, 5.5),
      c('Delhi', 'Delhi', 28.7041, 77.1025, 5.5),
    ],
  },
  { code: 'PK', weight: 0.4, cities: [c('Karachi', 'Sindh', 24.8607, 67.0011, 5), c('Lahore', 'Punjab', 31.5204, 74.3587, 5)] },
  { code: 'SG', weight: 1.5, cities: [c('Singapore', 'Singapore', 1.3521, 103.8198, 8)] },
  { code: 'MY', weight: 0.5, cities: [c('Kuala Lumpur', 'Federal Territory of Kuala Lumpur', 3.139, 101.6869, 8), c('Penang', 'Penang', 5.4141, 100.3288, 8)] },
  { code: 'ID', weight: 0.5, cities: [c('Jakarta', 'Jakarta', -6.2088, 106.8456, 7), c('Surabaya', 'East Java', -7.2575, 112.7521, 7)] },
  { code: 'TH', weight: 0.4, cities: [c('Bangkok', 'Bangkok', 13.7563, 100.5018, 7), c('Chiang Mai', 'Chiang Mai', 18.7883, 98.9853, 7)] },
  { code: 'VN', weight: 0.5, cities: [c('Ho Chi Minh City', 'Ho Chi Minh City', 10.8231, 106.6297, 7), c('Hanoi', 'Hanoi', 21.0278, 105.8342, 7)] },
  { code: 'PH', weight: 0.8, cities: [c('Manila', 'Metro Manila', 14.5995, 120.9842, 8), c('Cebu City', 'Central Visayas', 10.3157, 123.8854, 8)] },
  {
    code: 'CN',
    weight: 1,
    cities: [c('Shanghai', 'Shanghai', 31.2304, 121.4737, 8), c('Beijing', 'Beijing', 39.9042, 116.4074, 8), c('Shenzhen', 'Guangdong', 22.5431, 114.0579, 8)],
  },
  { code: 'HK', weight: 0.5, cities: [c('Hong Kong', 'Hong Kong', 22.3193, 114.1694, 8)] },
  { code: 'TW', weight: 0.4, cities: [c('Taipei', 'Taipei', 25.033, 121.5654, 8), c('Taichung', 'Taichung', 24.1477, 120.6736, 8)] },
  { code: 'KR', weight: 0.6, cities: [c('Seoul', 'Seoul', 37.5665, 126.978, 9), c('Busan', 'Busan', 35.1796, 129.0756, 9)] },
  {
    code: 'JP',
    weight: 2,
    cities: [c('Tokyo', 'Tokyo', 35.6762, 139.6503, 9), c('Osaka', 'Osaka', 34.6937, 135.5023, 9), c('Fukuoka', 'Fukuoka', 33.5904, 130.4017, 9)],
  },
  {
    code: 'AU',
    weight: 2,
    cities: [
      c('Sydney', 'New South Wales', -33.8688, 151.2093, 10),
      c('Melbourne', 'Victoria', -37.8136, 144.9631, 10),
      c('Brisbane', 'Queensland', -27.4698, 153.0251, 10),
      c('Perth', 'Western Australia', -31.9505, 115.8605, 8),
    ],
  },
  { code: 'NZ', weight: 0.4, cities: [c('Auckland', 'Auckland', -36.8485, 174.7633, 12), c('Wellington', 'Wellington', -41.2865, 174.7762, 12)] },
];

export interface ModelSpec {
  family: string;
  provider: string;
  /** Median latency in ms. */
  latencyMs: number;
  /** USD per 1M input / output tokens. */
  priceIn: number;
  priceOut: number;
  /** Share of agents built on it. */
  weight: number;
}

export const MODELS: ModelSpec[] = [
  { family: 'gpt-4o', provider: 'openai', latencyMs: 1600, priceIn: 2.5, priceOut: 10, weight: 32 },
  { family: 'claude-3.5', provider: 'anthropic', latencyMs: 1900, priceIn: 3, priceOut: 15, weight: 26 },
  { family: 'gemini-1.5', provider: 'google', latencyMs: 1300, priceIn: 1.25, priceOut: 5, weight: 14 },
  { family: 'llama-3', provider: 'meta', latencyMs: 800, priceIn: 0.6, priceOut: 0.8, weight: 12 },
  { family: 'mistral-large', provider: 'mistral', latencyMs: 1100, priceIn: 2, priceOut: 6, weight: 8 },
  { family: 'gpt-4o-mini', provider: 'openai', latencyMs: 700, priceIn: 0.15, priceOut: 0.6, weight: 8 },
];

export const API_CLIENTS = ['web-portal', 'python-sdk', 'js-sdk', 'slack-bot', 'teams-bot', 'cli', 'mobile-app'] as const;
/** Client preference of technical and non-technical departments (API_CLIENTS order). */
export const CLIENT_WEIGHTS_TECH = [0.25, 0.25, 0.12, 0.15, 0.05, 0.15, 0.03];
export const CLIENT_WEIGHTS_BUSINESS = [0.5, 0.02, 0.02, 0.2, 0.18, 0.01, 0.07];

export const ENVIRONMENTS = ['production', 'staging', 'development'] as const;
export const ENV_WEIGHTS_TECH = [0.7, 0.2, 0.1];
export const ENV_WEIGHTS_BUSINESS = [0.97, 0.03, 0];

/** Per intent: median input / output tokens and a latency multiplier. */
export const INTENT_PROFILE: Record<Intent, { inTokens: number; outTokens: number; latency: number }> = {
  customer_support: { inTokens: 900, outTokens: 250, latency: 0.9 },
  code_gen: { inTokens: 2500, outTokens: 700, latency: 1.3 },
  analysis: { inTokens: 3000, outTokens: 500, latency: 1.2 },
  content: { inTokens: 1200, outTokens: 800, latency: 1.1 },
  other: { inTokens: 700, outTokens: 200, latency: 0.8 },
};

/** Local-time hour-of-day weights on weekdays and weekends (business hours peak, lunch dip). */
export const HOUR_WEIGHTS_WEEKDAY = [0.6, 0.4, 0.3, 0.3, 0.4, 0.8, 2, 4.5, 8, 10, 10.5, 10, 7.5, 8.5, 10, 10, 9, 7, 4.5, 3.2, 2.6, 2, 1.4, 0.9];
export const HOUR_WEIGHTS_WEEKEND = [0.8, 0.5, 0.4, 0.3, 0.3, 0.4, 0.8, 1.5, 2.5, 3.5, 4.2, 4.5, 4.2, 4, 4, 3.8, 3.5, 3.2, 3, 3, 2.8, 2.4, 1.8, 1.2];

export const FIRST_NAMES = [
  'Ava',
  'Liam',
  'Olivia',
  'Noah',
  'Emma',
  'Mateo',
  'Sofia',
  'Lucas',
  'Mia',
  'Ethan',
  'Priya',
  'Arjun',
  'Ananya',
  'Rohan',
  'Wei',
  'Mei',
  'Hiroshi',
  'Yuki',
  'Min-jun',
  'Seo-yeon',
  'Fatima',
  'Omar',
  'Layla',
  'Yusuf',
  'Chloe',
  'Hugo',
  'Léa',
  'Jonas',
  'Lena',
  'Finn',
  'Isabella',
  'Diego',
  'Valentina',
  'Santiago',
  'Camila',
  'Gabriel',
  'Amara',
  'Kwame',
  'Zanele',
  'Thabo',
  'Ingrid',
  'Lars',
  'Astrid',
  'Mikko',
  'Aino',
  'Piotr',
  'Zofia',
  'Jakub',
  'Elena',
  'Marco',
  'Giulia',
  'Ahmed',
  'Noor',
  'Daniel',
  'Sarah',
  'James',
  'Grace',
  'Samuel',
  'Hannah',
  'David',
  'Nora',
  'Ravi',
  'Kavya',
  'Chen',
  'Lin',
];

export const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Garcia',
  'Martinez',
  'Rodriguez',
  'Lopez',
  'Patel',
  'Sharma',
  'Gupta',
  'Singh',
  'Kumar',
  'Wang',
  'Li',
  'Zhang',
  'Chen',
  'Tanaka',
  'Suzuki',
  'Sato',
  'Kim',
  'Lee',
  'Park',
  'Nguyen',
  'Tran',
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Dubois',
  'Martin',
  'Bernard',
  'Rossi',
  'Russo',
  'Ferrari',
  'Silva',
  'Santos',
  'Oliveira',
  'Kowalski',
  'Nowak',
  'Jansen',
  'de Vries',
  'Andersson',
  'Nilsen',
  'Virtanen',
  "O'Brien",
  'Murphy',
  'Okafor',
  'Mensah',
  'Naidoo',
  'Haddad',
  'Cohen',
  'Levi',
  'Yilmaz',
  'Ivanenko',
  'Novak',
  'Horvat',
  'Costa',
  'Reyes',
  'Cruz',
  'Flores',
  'Walker',
  'Taylor',
  'Thompson',
];
