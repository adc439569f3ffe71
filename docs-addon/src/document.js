/**
 * The open document: the selection's text, replacing it, and inserting at the cursor. Text goes in as
 * text (never as HTML or markup); links are set on the inserted range only.
 */
function textRanges_() {
  var selection = DocumentApp.getActiveDocument().getSelection();
  if (!selection) return [];
  return selection.getRangeElements().filter(function (r) {
    return typeof r.getElement().editAsText === 'function';
  });
}

function selectedText_() {
  return textRanges_()
    .map(function (r) {
      var text = r.getElement().editAsText().getText();
      return r.isPartial() ? text.substring(r.getStartOffset(), r.getEndOffsetInclusive() + 1) : text;
    })
    .join('\n');
}

/** The selection becomes `text`: later ranges are removed (last first, so earlier offsets hold), the
 * first one takes the new text where it was. */
function replaceSelectedText_(text) {
  var ranges = textRanges_();
  if (!ranges.length) throw new Error('Select the text to replace first.');
  for (var i = ranges.length - 1; i > 0; i--) {
    var r = ranges[i];
    var t = r.getElement().editAsText();
    if (r.isPartial()) t.deleteText(r.getStartOffset(), r.getEndOffsetInclusive());
    else {
      try {
        r.getElement().removeFromParent();
      } catch (e) {
        // The document's last paragraph cannot be removed: emptying it is the same to the reader.
        t.setText('');
      }
    }
  }
  var first = ranges[0];
  var ft = first.getElement().editAsText();
  if (first.isPartial()) {
    ft.deleteText(first.getStartOffset(), first.getEndOffsetInclusive());
    ft.insertText(first.getStartOffset(), text);
  } else {
    ft.setText(text);
  }
}

/** Inserts `text` at the cursor, linking [linkStart, linkEnd) to `url` when it is a web address. */
function insertAtCursor_(text, linkStart, linkEnd, url) {
  var doc = DocumentApp.getActiveDocument();
  var cursor = doc.getCursor();
  if (!cursor) throw new Error('Click in the document where the text should go (a selection is not a cursor).');
  var inserted = cursor.insertText(text);
  if (!inserted) throw new Error('Text cannot be inserted at the cursor here.');
  if (url && /^https?:\/\//i.test(url) && linkEnd > linkStart) inserted.setLinkUrl(linkStart, linkEnd - 1, url);
  doc.setCursor(doc.newPosition(inserted, text.length));
  return text;
}
