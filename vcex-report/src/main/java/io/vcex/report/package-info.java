/** Self-contained HTML reports: findings, counterfactual panels, heatmaps, charts, metric tables, provenance. */
package io.vcex.report;
