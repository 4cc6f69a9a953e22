"""The naive build most analysts write first: pandas filtering and px.scatter_map of every point.

Kept only as the benchmark's baseline; it is not part of the dashboard."""

import os

import pandas as pd
import plotly.express as px
import streamlit as st

folder = os.environ["TRENDS_DATA_DIR"]
df = pd.read_parquet(os.path.join(folder, "attacks.parquet"))
df["date"] = pd.to_datetime(df["date"])
years = sorted(df["date"].dt.year.unique())
choice = st.sidebar.selectbox("Period", ["Whole span", *map(str, years)], key="f_preset")
if choice == "Whole span":
    start, end = st.sidebar.date_input("Date range", (df["date"].min().date(), df["date"].max().date()))
else:
    start, end = pd.Timestamp(f"{choice}-01-01").date(), pd.Timestamp(f"{choice}-12-31").date()
view = df[(df["date"] >= pd.Timestamp(start)) & (df["date"] <= pd.Timestamp(end))]
st.title("Attacks")
st.caption(f"{start} to {end}")
c1, c2, c3 = st.columns(3)
c1.metric("Attacks", len(view))
c2.metric("Killed", int(view["killed"].sum()))
c3.metric("Wounded", int(view["wounded"].sum()))
st.plotly_chart(px.histogram(view, x="date", color="perpetrator"))
st.plotly_chart(px.scatter_map(view, lat="latitude", lon="longitude", color="perpetrator",
                               hover_data=["date", "province", "killed", "wounded", "source"]))
st.plotly_chart(px.bar(view.groupby("province", as_index=False).size(), x="province", y="size"))
