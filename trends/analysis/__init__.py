"""What the numbers say: reported series, talks study, alerts, sources, briefs and audits."""
