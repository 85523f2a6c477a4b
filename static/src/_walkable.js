// The floor a visitor may stand on, from the scene manifest's `walkable` grid (the cells the layout rules found clear
// of walls, furniture, cases and exhibits, and reached from a spawn point): whether a point is walkable, the nearest
// walkable point, a step that slides along what is in the way, and a path around it.

/** Return whether a point [x, z] lies inside a floor polygon [[x, z], ...]. */
export function insideFloor(polygon, x, z) {
  if (!polygon || polygon.length < 3) return true;
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, zi] = polygon[i];
    const [xj, zj] = polygon[j];
    if ((zi > z) !== (zj > z) && x < ((xj - xi) * (z - zi)) / (zj - zi) + xi) inside = !inside;
  }
  return inside;
}

/** Return the distance from a point to the nearest edge of a polygon [[x, z], ...] (Infinity without one). */
export function distanceToEdge(polygon, x, z) {
  if (!polygon || polygon.length < 2) return Infinity;
  let best = Infinity;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [ax, az] = polygon[j];
    const [bx, bz] = polygon[i];
    const ex = bx - ax;
    const ez = bz - az;
    const t = Math.max(0, Math.min(1, ((x - ax) * ex + (z - az) * ez) / Math.max(1e-12, ex * ex + ez * ez)));
    best = Math.min(best, Math.hypot(x - ax - t * ex, z - az - t * ez));
  }
  return best;
}

const NEIGHBOURS = [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [1, -1], [-1, 1], [-1, -1]];

export class WalkableFloor {
  /** Read a manifest's walkable grid {origin, cell_m, width, height, runs}; `polygon` is the room's floor. */
  constructor({ origin, cell_m: cell, width, height, runs }, polygon = null) {
    this.x0 = origin[0];
    this.z0 = origin[1];
    this.cell = cell;
    this.width = width;
    this.height = height;
    this.polygon = polygon;
    this.cells = new Uint8Array(width * height);
    let at = 0;
    runs.forEach((length, i) => {
      if (i % 2) this.cells.fill(1, at, Math.min(at + length, this.cells.length));
      at += length;
    });
  }

  /** Return the walkable floor of a manifest, or null when it has none (then the floor polygon alone rules). */
  static of(manifest) {
    const w = manifest?.walkable;
    if (!w || !Array.isArray(w.runs) || !(w.width > 0) || !(w.height > 0) || !(w.cell_m > 0)) return null;
    const floor = new WalkableFloor(w, manifest.floor);
    return floor.cells.includes(1) ? floor : null;
  }

  _index(x, z) {
    const col = Math.floor((x - this.x0) / this.cell);
    const row = Math.floor((z - this.z0) / this.cell);
    if (col < 0 || row < 0 || col >= this.width || row >= this.height) return -1;
    return row * this.width + col;
  }

  _centre(index) {
    return { x: this.x0 + ((index % this.width) + 0.5) * this.cell, z: this.z0 + (Math.floor(index / this.width) + 0.5) * this.cell };
  }

  /** Return whether the visitor may stand at a point. */
  has(x, z) {
    const i = this._index(x, z);
    return i >= 0 && this.cells[i] === 1;
  }

  /** Return the centre {x, z} of the walkable cell nearest a point (within `within` metres), or null. */
  nearest(x, z, within = Infinity) {
    if (this.has(x, z)) return { x, z };
    const col = Math.floor((x - this.x0) / this.cell);
    const row = Math.floor((z - this.z0) / this.cell);
    const rings = Math.min(Math.max(this.width, this.height), Math.ceil(within / this.cell) + 1);
    let best = null;
    let bestD = Infinity;
    for (let r = 1; r <= rings; r++) {
      // Cells on the ring r around the point's cell; once one is found, a nearer one can only lie a ring further.
      for (let dr = -r; dr <= r; dr++) {
        const step = Math.abs(dr) === r ? 1 : 2 * r;
        for (let dc = -r; dc <= r; dc += step) {
          const c = col + dc;
          const rr = row + dr;
          if (c < 0 || rr < 0 || c >= this.width || rr >= this.height || !this.cells[rr * this.width + c]) continue;
          const p = this._centre(rr * this.width + c);
          const d = Math.hypot(p.x - x, p.z - z);
          if (d < bestD) { best = p; bestD = d; }
        }
      }
      if (best && (r - 1) * this.cell > bestD) break;
    }
    return best && bestD <= within ? best : null;
  }

  /** Return where a step {dx, dz} from {x, z} ends: the whole step where clear, else sliding along what is in the
   * way (the step's part along x or z alone), else where it stopped; never off the walkable floor. */
  step(x, z, dx, dz) {
    const n = Math.max(1, Math.ceil(Math.hypot(dx, dz) / (this.cell * 0.4)));
    let px = x;
    let pz = z;
    const free = this.has(x, z);
    for (let i = 0; i < n; i++) {
      const nx = px + dx / n;
      const nz = pz + dz / n;
      // Off the walkable floor already (a stop a curator chose): any step that comes back onto it is taken.
      const ok = (a, b) => this.has(a, b) || (!free && !this.has(px, pz));
      if (ok(nx, nz)) { px = nx; pz = nz; } else if (ok(nx, pz)) px = nx; else if (ok(px, nz)) pz = nz; else break;
    }
    return { x: px, z: pz };
  }

  /** Return whether the straight line between two points stays on the walkable floor. */
  clear(ax, az, bx, bz) {
    const n = Math.max(1, Math.ceil(Math.hypot(bx - ax, bz - az) / (this.cell * 0.4)));
    for (let i = 0; i <= n; i++) if (!this.has(ax + ((bx - ax) * i) / n, az + ((bz - az) * i) / n)) return false;
    return true;
  }

  /** Return a walk from one point to another around what is in the way: [{x, z}, ...] from the start (or its
   * nearest walkable cell) to the goal, straight lines between the corners; null when the goal cannot be reached. */
  path(from, to) {
    const start = this.nearest(from.x, from.z);
    const goal = this.nearest(to.x, to.z);
    if (!start || !goal) return null;
    if (this.clear(start.x, start.z, goal.x, goal.z)) return [{ x: from.x, z: from.z }, goal];
    // Breadth-first from the goal over the walkable cells; then down the distances from the start.
    const far = new Int32Array(this.cells.length).fill(-1);
    const g = this._index(goal.x, goal.z);
    const s = this._index(start.x, start.z);
    const queue = new Int32Array(this.cells.length);
    let head = 0;
    let tail = 0;
    far[g] = 0;
    queue[tail++] = g;
    while (head < tail && far[s] < 0) {
      const i = queue[head++];
      const c = i % this.width;
      const r = (i - c) / this.width;
      for (const [dc, dr] of NEIGHBOURS) {
        const cc = c + dc;
        const rr = r + dr;
        if (cc < 0 || rr < 0 || cc >= this.width || rr >= this.height) continue;
        const j = rr * this.width + cc;
        // No corner cutting: a diagonal step needs both cells beside it walkable.
        if (far[j] >= 0 || !this.cells[j] || (dc && dr && !(this.cells[r * this.width + cc] && this.cells[rr * this.width + c]))) continue;
        far[j] = far[i] + 1;
        queue[tail++] = j;
      }
    }
    if (far[s] < 0) return null;
    const cells = [s];
    for (let i = s; i !== g;) {
      const c = i % this.width;
      const r = (i - c) / this.width;
      let next = i;
      for (const [dc, dr] of NEIGHBOURS) {
        const cc = c + dc;
        const rr = r + dr;
        if (cc < 0 || rr < 0 || cc >= this.width || rr >= this.height) continue;
        const j = rr * this.width + cc;
        if (far[j] >= 0 && far[j] < far[next]) next = j;
      }
      cells.push(next);
      i = next;
    }
    // Keep only the corners: from each point, the farthest cell still in a straight clear line.
    const points = cells.map((i) => this._centre(i));
    const out = [{ x: from.x, z: from.z }];
    let at = points[0];
    let k = 0;
    while (k < points.length - 1) {
      let j = points.length - 1;
      while (j > k + 1 && !this.clear(at.x, at.z, points[j].x, points[j].z)) j--;
      out.push(points[j]);
      at = points[j];
      k = j;
    }
    return out;
  }

  /** Return what lies beyond a point along a direction {dx, dz} on the floor, from `start` to `reach` metres:
   * {distance, wall} where `wall` says it is the room's wall (not furniture standing on the floor). */
  beyond(x, z, dx, dz, start, reach = 14) {
    const len = Math.hypot(dx, dz) || 1;
    for (let d = start; d <= reach; d += this.cell) {
      const px = x + (dx / len) * d;
      const pz = z + (dz / len) * d;
      if (!insideFloor(this.polygon, px, pz)) return { distance: d, wall: true };
      // Floor no one may stand on, away from the walls: something stands there.
      if (!this.has(px, pz) && distanceToEdge(this.polygon, px, pz) > 0.7) return { distance: d, wall: false };
    }
    return { distance: reach, wall: true };
  }
}
