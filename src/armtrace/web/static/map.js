// The incidents map: Leaflet over the bundled world outline (works offline); a tile layer is
// added only when the server is configured with ARMTRACE_TILES_URL. Popups are built from DOM
// nodes with textContent, so no data is ever parsed as HTML.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var points = JSON.parse(el.getAttribute("data-points") || "[]");
  var tiles = el.getAttribute("data-tiles");
  el.innerHTML = "";
  var map = L.map(el, { worldCopyJump: true, minZoom: 2 });
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 18, attribution: "Tiles: " + new URL(tiles.replace(/[{}]/g, ""), location.href).host }).addTo(map);
  }
  fetch(el.getAttribute("data-world")).then(function (r) { return r.json(); }).then(function (world) {
    var outline = L.geoJSON(world, {
      interactive: false,
      style: { color: "#a0aec0", weight: 0.8, fillColor: "#e2e8f0", fillOpacity: tiles ? 0 : 1 }
    });
    outline.addTo(map);
    outline.bringToBack();
    map.attributionControl.addAttribution("Base map: Natural Earth");
  });

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function popup(p) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.appendChild(link("/items?incident=" + encodeURIComponent(p.key), p.key));
    box.appendChild(title);
    var line = document.createElement("div");
    line.textContent = [p.date || "date unknown", p.place || "place unknown"].join(" · ") +
      (p.exercise ? " · EXERCISE DATA" : "");
    box.appendChild(line);
    var row = document.createElement("div");
    if (p.item_count === 1) {
      row.appendChild(link("/items/" + encodeURIComponent(p.first_item), p.first_item));
    } else {
      row.appendChild(link("/items?incident=" + encodeURIComponent(p.key), p.item_count + " items"));
    }
    box.appendChild(row);
    return box;
  }

  var markers = [];
  points.forEach(function (p) {
    if (p.latitude === null || p.longitude === null) { return; }
    var marker = L.circleMarker([p.latitude, p.longitude], {
      radius: 7, color: "#ffffff", weight: 1.5, fillColor: "#c53030", fillOpacity: 0.9
    });
    marker.bindPopup(popup(p));
    marker.bindTooltip(p.key);
    marker.addTo(map);
    markers.push(marker);
  });
  if (markers.length) {
    map.fitBounds(L.featureGroup(markers).getBounds().pad(0.6), { maxZoom: 6 });
  } else {
    map.setView([30, 20], 2);
  }
  el.setAttribute("data-ready", String(markers.length));
})();
