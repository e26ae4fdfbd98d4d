// Prints the plain `tests: N passed, M failed` line CI reads (it cannot read jest's own summary),
// and writes the counts to $SIDETAP_TEST_SUMMARY when set so .ci/run can print it last.
const fs = require('node:fs');

class JestSummaryReporter {
  onRunComplete(_contexts, results) {
    // A suite that fails to load counts as a failure even though it ran no test.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `tests: ${results.numPassedTests} passed, ${failed} failed`;
    process.stdout.write(`${line}\n`);
    if (process.env.SIDETAP_TEST_SUMMARY) fs.writeFileSync(process.env.SIDETAP_TEST_SUMMARY, `${line}\n`);
  }
}

module.exports = JestSummaryReporter;
