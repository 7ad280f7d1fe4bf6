/** A news article in the shape `GET /v1beta1/news` answers with. */
export interface NewsArticle {
  readonly id: number;
  readonly headline: string;
  readonly author: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly summary: string;
  readonly content: string;
  readonly url: string;
  readonly images: readonly { readonly size: string; readonly url: string }[];
  readonly symbols: readonly string[];
  readonly source: string;
}

function article(
  id: number,
  createdAt: string,
  symbols: string[],
  headline: string,
  summary = '',
): NewsArticle {
  return {
    id,
    headline,
    author: 'Test Desk',
    created_at: createdAt,
    updated_at: createdAt,
    summary,
    content: summary === '' ? '' : `<p>${summary}</p>`,
    url: `https://news.example.test/${id}`,
    images: [],
    symbols,
    source: 'benzinga',
  };
}

/** Invented headlines around mid-June 2023, positive and negative, some naming two symbols. */
export const NEWS_FIXTURE: readonly NewsArticle[] = [
  article(
    31_000_001,
    '2023-06-12T13:05:00Z',
    ['AAPL'],
    'Apple shares climb as analysts praise strong iPhone demand',
    'Several brokers raised their price targets after upbeat supply-chain checks.',
  ),
  article(
    31_000_002,
    '2023-06-12T20:40:00Z',
    ['TSLA'],
    'Tesla extends winning streak to eleven sessions',
    'The stock rose again on optimism about charging partnerships.',
  ),
  article(31_000_003, '2023-06-13T11:15:00Z', ['NVDA', 'AMD'], 'Chip stocks rally on AI optimism'),
  article(
    31_000_004,
    '2023-06-13T22:10:00Z',
    ['BA'],
    'Boeing faces new delay and weak delivery numbers',
    'A supplier problem is expected to slow deliveries of a popular jet.',
  ),
  article(
    31_000_005,
    '2023-06-14T12:30:00Z',
    ['AAPL', 'MSFT'],
    'Apple and Microsoft hit record highs',
    'Both companies closed at all-time highs as the rally broadened.',
  ),
  article(31_000_006, '2023-06-14T18:00:00Z', ['PFE'], 'Pfizer drug trial disappoints investors'),
  article(
    31_000_007,
    '2023-06-15T14:45:00Z',
    ['MSFT'],
    'Microsoft wins major cloud contract',
    'The multi-year agreement covers data-centre capacity.',
  ),
  article(
    31_000_008,
    '2023-06-16T15:20:00Z',
    ['TSLA'],
    'Tesla recalls vehicles over a faulty part',
  ),
];
