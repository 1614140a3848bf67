/**
 * A minimal fake of Office.js for the task pane in a plain browser: `Office.onReady`, `Word.run` and the
 * slice of the Word object model the add-in uses, over a tiny document model (paragraphs made of runs, tables).
 * It is served in place of Microsoft's office.js (the test routes the CDN URL to it), so the bundle runs
 * unchanged. Every call and property assignment is recorded in `window.__fakeWord.ops`; `sync` applies nothing
 * (operations take effect at once) but a batch that ends with unsynced operations is recorded as an error.
 */
export const FAKE_OFFICE_JS = String.raw`
(function () {
  var blocks = [{ type: 'paragraph', style: 'Normal', runs: [{ cc: null, text: 'Notes: ' }] }];
  var cursor = { block: blocks[0] };
  var ops = [];
  var errors = [];
  var pending = 0;
  function log(op) { ops.push(op); pending++; }
  function indexOf(block) { var i = blocks.indexOf(block); if (i < 0) throw new Error('block not in document'); return i; }
  function insertAfter(block, added) { blocks.splice(indexOf(block) + 1, 0, added); return added; }
  function lastOf(block) {
    // A list's last item, so list.insertParagraph(…, 'End') appends.
    var last = block;
    for (var i = 0; i < blocks.length; i++) if (blocks[i].list && blocks[i].list === block.list) last = blocks[i];
    return last;
  }
  function styled(target, block) {
    Object.defineProperty(target, 'styleBuiltIn', { get: function () { return block.style; }, set: function (v) { log('style ' + JSON.stringify(v)); block.style = v; } });
    return target;
  }
  function paragraphBlock(text) { return { type: 'paragraph', style: 'Normal', runs: [{ cc: null, text: text }] }; }
  function rangeAt(block) {
    return {
      insertParagraph: function (text, where) { log('insertParagraph ' + JSON.stringify(text) + ' ' + where); return paragraphObject(insertAfter(block, paragraphBlock(text))); },
      insertTable: function (rows, cols, where, values) { log('insertTable ' + rows + 'x' + cols + ' ' + where); return tableObject(insertAfter(block, { type: 'table', style: 'TableGrid', headerRowCount: 0, values: values })); },
      getRange: function (where) { log('getRange ' + where); return rangeAt(block); },
      select: function (where) { log('select'); cursor = { block: block }; },
      insertContentControl: function () {
        log('insertContentControl');
        if (block.type !== 'paragraph') { block = insertAfter(block, paragraphBlock('')); }
        var run = { cc: '(untagged)', text: '' };
        block.runs.push(run);
        return controlObject(block, run);
      },
    };
  }
  function paragraphObject(block) {
    var p = rangeAt(block);
    p.startNewList = function () {
      log('startNewList');
      var id = 'list' + Math.random().toString(36).slice(2);
      block.list = id;
      return {
        setLevelBullet: function (level, kind) { log('setLevelBullet ' + level + ' ' + kind); block.bullet = kind; },
        insertParagraph: function (text, where) {
          log('list.insertParagraph ' + JSON.stringify(text) + ' ' + where);
          var added = paragraphBlock(text);
          added.list = id; added.style = block.style; added.bullet = block.bullet;
          return paragraphObject(insertAfter(lastOf(block), added));
        },
      };
    };
    return styled(p, block);
  }
  function tableObject(block) {
    var t = {
      insertParagraph: function (text, where) { log('table.insertParagraph ' + JSON.stringify(text) + ' ' + where); return paragraphObject(insertAfter(block, paragraphBlock(text))); },
      getRange: function (where) { log('table.getRange ' + where); return rangeAt(block); },
    };
    Object.defineProperty(t, 'headerRowCount', { get: function () { return block.headerRowCount; }, set: function (v) { log('headerRowCount ' + v); block.headerRowCount = v; } });
    return styled(t, block);
  }
  function controlObject(block, run) {
    var c = {
      isNullObject: false,
      insertText: function (text, where) { log('control.insertText ' + JSON.stringify(text) + ' ' + where); run.text += text; return rangeAt(block); },
      delete: function (keep) { log('control.delete ' + keep); if (keep) run.cc = null; else block.runs.splice(block.runs.indexOf(run), 1); },
    };
    ['tag', 'title', 'appearance'].forEach(function (name) {
      Object.defineProperty(c, name, { get: function () { return run[name]; }, set: function (v) { log('control.' + name + ' ' + JSON.stringify(v)); run[name] = v; if (name === 'tag') run.cc = v; } });
    });
    return c;
  }
  function findControl(tag) {
    for (var i = 0; i < blocks.length; i++) {
      var runs = blocks[i].runs || [];
      for (var j = 0; j < runs.length; j++) if (runs[j].cc === tag) return controlObject(blocks[i], runs[j]);
    }
    return { isNullObject: true };
  }
  function newContext() {
    return {
      document: {
        getSelection: function () { log('getSelection'); return rangeAt(cursor.block); },
        contentControls: { getByTag: function (tag) { log('getByTag ' + tag); return { getFirstOrNullObject: function () { return findControl(tag); } }; } },
      },
      sync: function () { ops.push('sync'); pending = 0; return Promise.resolve(); },
    };
  }
  window.__fakeWord = {
    ops: ops,
    errors: errors,
    runs: 0,
    /** The document as plain data: paragraphs' text and style, tables' values. */
    snapshot: function () {
      return blocks.map(function (b) {
        if (b.type === 'table') return { type: 'table', style: b.style, headerRowCount: b.headerRowCount, values: b.values };
        return { type: 'paragraph', style: b.style, list: b.list ? (b.bullet || 'list') : null, text: b.runs.map(function (r) { return r.text; }).join(''), controls: b.runs.filter(function (r) { return r.cc; }).length };
      });
    },
  };
  window.Office = {
    HostType: { Word: 'Word' },
    context: { displayLanguage: 'zh-CN', requirements: { isSetSupported: function () { return false; } } },
    onReady: function (callback) {
      var info = { host: 'Word', platform: 'PC' };
      return new Promise(function (resolve) { setTimeout(function () { if (callback) callback(info); resolve(info); }, 0); });
    },
  };
  window.Word = {
    run: function (batch) {
      window.__fakeWord.runs++;
      ops.push('run');
      pending = 0;
      return Promise.resolve(batch(newContext())).then(function (value) {
        if (pending > 0) errors.push('Word.run ended with ' + pending + ' unsynced operations');
        return value;
      });
    },
  };
})();
`;
