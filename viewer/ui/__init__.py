"""The Qt front end: it observes the domain and draws what the chart layer describes."""
