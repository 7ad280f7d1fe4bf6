// Tests run in UTC so that no date logic can lean on the machine's time zone
process.env.TZ = 'UTC';
