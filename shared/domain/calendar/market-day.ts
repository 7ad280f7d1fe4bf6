/** A trading date as the exchange sees it. */
export type MarketDay =
  | {
      readonly date: string;
      readonly open: true;
      /** New York wall-clock close, HH:MM: 16:00, or 13:00 on an early-close day */
      readonly closeTime: string;
      readonly earlyClose: boolean;
    }
  | {
      readonly date: string;
      readonly open: false;
      /** "weekend", or the holiday's name */
      readonly reason: string;
    };
