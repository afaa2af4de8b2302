// Drag and drop on a team's board: a small enhancement of its move buttons.
// Dropping a card on a column clicks the card's own "Move to ..." button: the
// same POST (with its CSRF token) the button sends; without this file, or
// without a mouse, the buttons do the same. No build step, no inline script.
(function () {
  "use strict";

  var board = document.getElementById("board");
  if (!board) {
    return;
  }

  var dragged = null;

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest(".card") : null;
    if (!card) {
      return;
    }
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.taskId);
  });

  board.addEventListener("dragend", function () {
    if (dragged) {
      dragged.classList.remove("dragging");
    }
    dragged = null;
    board.querySelectorAll(".drop-target").forEach(function (column) {
      column.classList.remove("drop-target");
    });
  });

  function columnOf(event) {
    return event.target.closest ? event.target.closest(".board-column") : null;
  }

  board.addEventListener("dragover", function (event) {
    var column = columnOf(event);
    if (dragged && column && column.dataset.status !== dragged.dataset.status) {
      event.preventDefault();
      column.classList.add("drop-target");
    }
  });

  board.addEventListener("dragleave", function (event) {
    var column = columnOf(event);
    if (column && !column.contains(event.relatedTarget)) {
      column.classList.remove("drop-target");
    }
  });

  board.addEventListener("drop", function (event) {
    var column = columnOf(event);
    if (!dragged || !column) {
      return;
    }
    event.preventDefault();
    var button = dragged.querySelector(
      '.move-buttons button[value="' + column.dataset.status + '"]'
    );
    if (button) {
      board.setAttribute("aria-busy", "true");
      // A click, as a person's would: works where requestSubmit() is missing.
      button.click();
    }
  });
})();
