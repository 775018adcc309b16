/** Results of a comparison run as a Markdown table and a chart, beside the bars. */
package dev.fovea.bench.load.report;
