/**
 * A page as it is seen: the visible box (the CropBox within the MediaBox, at any origin) turned by the
 * page's /Rotate. Drawing in view coordinates — x to the right and y up as the reader sees the page,
 * (0, 0) at the visible bottom-left corner — comes out upright on any page size and rotation.
 */
import {
  concatTransformationMatrix,
  type PDFOperator,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';

export type Matrix = [number, number, number, number, number, number];

export interface PageView {
  /** The width and height as seen (a /Rotate 90 A4 page is 842 wide). */
  width: number;
  height: number;
  /** The rotation, normalised to 0, 90, 180 or 270. */
  rotation: 0 | 90 | 180 | 270;
  /** View coordinates to the page's user space. */
  matrix: Matrix;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A rectangle with its corners in order (a box may be written from its top-right corner). */
function ordered(b: Box): Box {
  const x = Math.min(b.x, b.x + b.width);
  const y = Math.min(b.y, b.y + b.height);
  return { x, y, width: Math.abs(b.width), height: Math.abs(b.height) };
}

function visibleBox(page: PDFPage): Box {
  const media = ordered(page.getMediaBox());
  const crop = ordered(page.getCropBox());
  const x = Math.max(media.x, crop.x);
  const y = Math.max(media.y, crop.y);
  const x2 = Math.min(media.x + media.width, crop.x + crop.width);
  const y2 = Math.min(media.y + media.height, crop.y + crop.height);
  // A CropBox outside the MediaBox is an error in the file; readers then show the MediaBox.
  return x2 > x && y2 > y ? { x, y, width: x2 - x, height: y2 - y } : media;
}

export function pageView(page: PDFPage): PageView {
  const { x, y, width: w, height: h } = visibleBox(page);
  const turned = Math.round((page.getRotation().angle || 0) / 90) * 90;
  const rotation = (((turned % 360) + 360) % 360) as 0 | 90 | 180 | 270;
  switch (rotation) {
    // Shown turned a quarter clockwise: the view's x runs up the page, its y runs to the left.
    case 90:
      return { width: h, height: w, rotation, matrix: [0, 1, -1, 0, x + w, y] };
    case 180:
      return { width: w, height: h, rotation, matrix: [-1, 0, 0, -1, x + w, y + h] };
    case 270:
      return { width: h, height: w, rotation, matrix: [0, -1, 1, 0, x, y + h] };
    default:
      return { width: w, height: h, rotation, matrix: [1, 0, 0, 1, x, y] };
  }
}

/**
 * Runs `draw` (pdf-lib drawing calls in view coordinates) between a save of the graphics state with the
 * view's matrix and its restore. pdf-lib has already wrapped a loaded page's own content in q … Q, so
 * whatever state the scan leaves does not reach this drawing.
 */
export function inView(page: PDFPage, view: PageView, draw: () => void, extra: Matrix = [1, 0, 0, 1, 0, 0]) {
  const ops: PDFOperator[] = [pushGraphicsState(), concatTransformationMatrix(...view.matrix)];
  if (extra.join() !== '1,0,0,1,0,0') ops.push(concatTransformationMatrix(...extra));
  page.pushOperators(...ops);
  draw();
  page.pushOperators(popGraphicsState());
}
