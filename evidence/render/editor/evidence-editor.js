/* The admin page's own script (code: SECURITY.md, "What counts as code").
 *
 * 1. Stops Decap CMS from starting by itself, fetches admin/config.json (generated at build
 *    from the claim schema by evidence/pages/editor_config.py) and starts Decap with it
 *    (`load_config_file: false`: no config.yml is read).
 * 2. Keeps the project's YAML conventions on every save (Decap's `preSave` event):
 *    - every block's keys in the order of its fields, which is the model's order (Decap
 *      itself orders only the top level; nested keys would follow typing order);
 *    - empty values left out ('' from a cleared box, empty lists and blocks), as `check`
 *      wants: an optional field is absent, never empty.
 *    The `# yaml-language-server: $schema=…` first line is the `id` field's `comment`, which
 *    Decap's YAML writer puts above `id:`; dates are written as YYYY-MM-DD by the date fields.
 */
(function () {
  "use strict";
  window.CMS_MANUAL_INIT = true;

  var LIST = "@@__IMMUTABLE_LIST__@@";
  var MAP = "@@__IMMUTABLE_MAP__@@";

  function isList(v) { return Boolean(v && v[LIST]); }
  function isMap(v) { return Boolean(v && v[MAP]); }
  function isEmpty(v) {
    return v === undefined || v === null || v === "" || ((isList(v) || isMap(v)) && v.size === 0);
  }

  // {"": [names...], name: {...}} for a list of fields (a list's `fields` as an object's)
  function orderOf(fields) {
    var order = { "": [] };
    (fields || []).forEach(function (field) {
      order[""].push(field.name);
      if (field.fields) { order[field.name] = orderOf(field.fields); }
    });
    return order;
  }

  // the same value with keys in field order and empty values left out (Immutable in, Immutable out)
  function tidy(value, order) {
    if (isMap(value)) {
      var names = (order && order[""]) || [];
      var keys = names.filter(function (k) { return value.has(k); });
      value.keySeq().forEach(function (k) { if (keys.indexOf(k) < 0) { keys.push(k); } });
      var out = value.clear().toOrderedMap();
      keys.forEach(function (k) {
        var v = tidy(value.get(k), order && order[k]);
        if (!isEmpty(v)) { out = out.set(k, v); }
      });
      return out;
    }
    if (isList(value)) {
      var list = value.clear();
      value.forEach(function (item) {
        var v = tidy(item, order);
        if (!isEmpty(v)) { list = list.push(v); }
      });
      return list;
    }
    return value;
  }

  function start(config) {
    var orders = {};
    config.collections.forEach(function (c) { orders[c.name] = orderOf(c.fields); });
    window.CMS.registerEventListener({
      name: "preSave",
      handler: function (event) {
        var entry = event.entry;
        return tidy(entry.get("data"), orders[entry.get("collection")]);
      },
    });
    config.load_config_file = false;
    window.CMS.init({ config: config });
  }

  window.addEventListener("DOMContentLoaded", function () {
    fetch("config.json", { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) { throw new Error("admin/config.json: HTTP " + r.status); }
        return r.json();
      })
      .then(start)
      .catch(function (error) {
        document.body.textContent = "The editor could not start: " + error.message;
      });
  });
})();
