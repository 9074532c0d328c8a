/* 统计分析: the dashboard's charts fetch /api/v1/analytics/volume and drill down to the orders list on click.
   ECharts 6.1.0 is vendored (static/vendor/echarts); nothing is fetched from outside the server. */
(function () {
  "use strict";
  var charts = {};
  window.hotlineCharts = charts;   // the browser tests find a bar's position through the chart

  function params() {
    var form = document.getElementById("analytics-filters");
    var query = new URLSearchParams();
    if (!form) { return query; }
    new FormData(form).forEach(function (value, key) { if (value) { query.set(key, value); } });
    return query;
  }

  function drill(bucket) {
    if (bucket && bucket.orders_url) { window.location.href = bucket.orders_url; }
  }

  function option(by, data) {
    var buckets = data.buckets;
    var labels = buckets.map(function (b) { return b.label; });
    var values = buckets.map(function (b) { return b.count; });
    if (by === "day" || by === "month") {
      return {tooltip: {trigger: "axis"}, grid: {left: 48, right: 16, top: 16, bottom: 32},
              xAxis: {type: "category", data: labels}, yAxis: {type: "value", minInterval: 1},
              series: [{type: "bar", data: values, name: "工单数", itemStyle: {color: "#0969da"}}]};
    }
    if (by === "channel" || by === "appeal_type") {
      return {tooltip: {trigger: "item"},
              series: [{type: "pie", radius: ["35%", "70%"], name: "工单数",
                        data: buckets.map(function (b) { return {name: b.label, value: b.count}; })}]};
    }
    var top = buckets.slice(0, 15).reverse();
    return {tooltip: {trigger: "axis"}, grid: {left: 140, right: 24, top: 8, bottom: 24},
            xAxis: {type: "value", minInterval: 1},
            yAxis: {type: "category", data: top.map(function (b) { return b.label; })},
            series: [{type: "bar", name: "工单数", data: top.map(function (b) { return b.count; }),
                      itemStyle: {color: "#1a7f37"}}]};
  }

  function shown(by, data) {   // the buckets in the order the chart draws them
    if (by === "day" || by === "month" || by === "channel" || by === "appeal_type") { return data.buckets; }
    return data.buckets.slice(0, 15).reverse();
  }

  function mapOption(data, code) {
    var max = Math.max.apply(null, [1].concat(data.buckets.map(function (b) { return b.count; })));
    return {tooltip: {trigger: "item", formatter: function (p) {
              var b = data.buckets.find(function (x) { return x.key === p.name; });
              return (b ? b.label : p.name) + "：" + (b ? b.count : 0) + " 件"; }},
            visualMap: {min: 0, max: max, left: 8, bottom: 8, calculable: true, inRange: {color: ["#ddf4ff", "#0969da"]}},
            series: [{type: "map", map: "hotline-city", nameProperty: code, roam: false, name: "工单数",
                      data: data.buckets.map(function (b) { return {name: b.key, value: b.count}; })}]};
  }

  function draw(el, api, query, mapInfo) {
    var by = el.dataset.by;
    var q = new URLSearchParams(query);
    q.set("by", by);
    fetch(api + "volume?" + q.toString(), {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (data) {
        if (!data.buckets) { el.textContent = data.message_zh || "加载失败"; return; }
        var chart = echarts.init(el);
        charts[by] = {chart: chart, data: data};
        var total = document.getElementById("analytics-total");
        if (total && (by === "day" || by === "month")) { total.textContent = String(data.total); }
        if (!data.buckets.length) { el.nextElementSibling.hidden = false; }
        if (by === "region" && mapInfo) {
          chart.setOption(mapOption(data, mapInfo.code_property));
          chart.on("click", function (p) { drill(data.buckets.find(function (b) { return b.key === p.name; })); });
        } else {
          chart.setOption(option(by, data));
          chart.on("click", function (p) { drill(shown(by, data)[p.dataIndex]); });
        }
        el.dataset.ready = "1";
      });
  }

  function dashboard() {
    var box = document.getElementById("analytics-charts");
    if (!box) { return; }
    var api = box.dataset.api, query = params();
    var mapReady = box.dataset.map === "1"
      ? fetch(api + "map", {credentials: "same-origin"}).then(function (r) { return r.ok ? r.json() : null; })
      : Promise.resolve(null);
    mapReady.then(function (info) {
      if (info) { echarts.registerMap("hotline-city", info.geojson); }
      box.querySelectorAll(".chart[data-by]").forEach(function (el) { draw(el, api, query, info); });
    });
    window.addEventListener("resize", function () {
      Object.keys(charts).forEach(function (k) { charts[k].chart.resize(); });
    });
  }

  function sparklines() {
    document.querySelectorAll(".sparkline[data-trend]").forEach(function (el) {
      var trend = JSON.parse(el.dataset.trend);
      echarts.init(el).setOption({grid: {left: 32, right: 8, top: 8, bottom: 20}, tooltip: {trigger: "axis"},
        xAxis: {type: "category", data: trend.map(function (t) { return t[0].slice(5); })},
        yAxis: {type: "value", minInterval: 1},
        series: [{type: "line", data: trend.map(function (t) { return t[1]; }), areaStyle: {}, name: "件数"}]});
    });
    var topic = document.getElementById("topic-chart");
    if (topic) {
      var months = JSON.parse(topic.dataset.months);
      echarts.init(topic).setOption({grid: {left: 40, right: 16, top: 16, bottom: 24}, tooltip: {trigger: "axis"},
        xAxis: {type: "category", data: months.map(function (m) { return m[0]; })},
        yAxis: {type: "value", minInterval: 1},
        series: [{type: "bar", name: "工单数", data: months.map(function (m) {
          return {value: m[1], itemStyle: {color: m[2] ? "#1a7f37" : "#8c959f"}}; })}]});
    }
  }

  document.addEventListener("DOMContentLoaded", function () { dashboard(); sparklines(); });
})();
