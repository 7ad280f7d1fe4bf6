// Tests run in UTC so that no date logic can lean on the machine's time zone
process.env.TZ = 'UTC';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
// No EMF lines on stdout: a test that imports a handler before the local workflow sets this would
// print them (tests/unit/runtime/metrics.test.ts turns metrics back on for itself)
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
