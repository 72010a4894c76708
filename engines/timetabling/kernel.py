"""The simulated-annealing inner loop, compiled with Numba.

The timetable lives in flat ``int64`` arrays (see :func:`engines.timetabling.solver.solve`
for how they are built): every lecture in its own (period, room) cell, so a room is never
double-booked and a course never holds two lectures in one period. The remaining hard
constraints are penalised. Each cost component is maintained incrementally by
:func:`_place` and :func:`_unplace`; a move is applied, its delta read off the counters,
and undone when rejected.

``static`` is a tuple of read-only arrays and ``state`` a tuple of the arrays that the
search changes; their order is fixed by the ``S_*`` and ``D_*`` indices below. ``fparams``
and ``iparams`` carry the schedule between calls, so :func:`anneal` can run in chunks
while Python reports progress and polls for a stop.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Counters (``state[D_COUNTERS]``), unweighted.
UNSCHEDULED, CONFLICTS, AVAILABILITY, SUITABILITY, CAPACITY, MISSING_DAYS, ISOLATED, EXTRA_ROOMS = range(8)
N_COUNTERS = 8

# Static arrays.
(
    S_DIMS,  # periods, rooms, days, periods per day, courses
    S_LECTURE_COURSE,
    S_NEIGHBOUR_PTR,  # CSR per course: the courses it conflicts with
    S_NEIGHBOURS,
    S_UNAVAILABLE,  # course × period: the course or one of its teachers is unavailable
    S_ROOM_UNAVAILABLE,  # room × period
    S_UNSUITABLE,  # course × room
    S_CAPACITY_PENALTY,  # course × room: students over capacity
    S_MIN_DAYS,
    S_CURRICULA_PTR,  # CSR per course: first cell (q × periods) of each of its curricula
    S_CURRICULA,
    S_PERIODS_PTR,  # CSR per course: the periods that moves aim at
    S_PERIODS,
    S_ROOMS_PTR,  # CSR per course: the rooms that moves aim at
    S_ROOMS,
    S_PERIOD_ALLOWED,  # course × period: 1 if among the periods moves aim at
    S_ROOM_ALLOWED,  # course × room
    S_LECTURES_PTR,  # CSR per course: its lectures
    S_LECTURES,
    S_SCHEDULED,  # the lectures placed by the construction
) = range(20)

# Search state.
(
    D_PERIOD_OF,
    D_ROOM_OF,
    D_CELL,  # period × room: lecture or -1
    D_ROOM_AT,  # course × period: room or -1
    D_DAY_COUNT,  # course × day
    D_COURSE_DAYS,
    D_ROOM_COUNT,  # course × room
    D_COURSE_ROOMS,
    D_CURRICULUM_COUNT,  # curriculum × period
    D_COUNTERS,
    D_BEST_PERIOD_OF,
    D_BEST_ROOM_OF,
    D_BEST_COUNTERS,
) = range(13)

# fparams: temperature, cooling rate, final temperature, hard weight, swap rate, same-room bias,
# soft weight (1, or 0 to search on the hard violations alone).
F_TEMPERATURE, F_COOLING, F_FINAL, F_HARD_WEIGHT, F_SWAP_RATE, F_SAME_ROOM, F_SOFT_WEIGHT = range(7)
# iparams: random state, neighbours per temperature, accepted cut-off, sampled and accepted at
# this temperature, iterations done.
I_RANDOM, I_NEIGHBOURS, I_CUTOFF, I_LEVEL_SAMPLED, I_LEVEL_ACCEPTED, I_ITERATIONS = range(6)


@njit(cache=True)
def _xorshift(x):
    """Return the next state of a xorshift64 generator (``x`` a non-zero uint64)."""
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    return x


@njit(cache=True)
def _draw(x):
    """Return a non-negative 62-bit integer from the generator state ``x`` (xorshift64*)."""
    return np.int64((x * np.uint64(2685821657736338717)) >> np.uint64(2))


@njit(cache=True)
def hard_violations(counters):
    """Return the number of hard violations in ``counters``."""
    return counters[UNSCHEDULED] + counters[CONFLICTS] + counters[AVAILABILITY] + counters[SUITABILITY]


@njit(cache=True)
def soft_cost(counters):
    """Return the UD2 weighted soft cost in ``counters``."""
    return counters[CAPACITY] + 5 * counters[MISSING_DAYS] + 2 * counters[ISOLATED] + counters[EXTRA_ROOMS]


@njit(cache=True)
def anneal(static, state, fparams, iparams, iterations, load):
    """Place the lectures of ``load``, then run up to ``iterations`` annealing steps; return the steps run.

    ``load`` is an (n, 3) array of (lecture, period, room) rows put in place first (the
    construction's timetable; empty on later calls). Fewer steps than asked are run only
    when the best cost is 0.

    A step samples a neighbour: with probability ``swap rate`` SwapLectures (two lectures
    of different courses in different periods exchange periods, keeping their rooms when
    those cells are free, else exchanging cells), otherwise MoveLecture (a lecture to one
    of its course's periods and a room, with probability ``same-room`` one its course
    already uses; the lecture of an occupied cell takes the vacated cell). The
    temperature is multiplied by the cooling rate after ``neighbours`` samples, or
    earlier once ``cut-off`` of them were accepted, and never falls below the final
    temperature.

    The move is applied as a list of operations (take a lecture out, put a lecture in),
    its delta read off the counters, and undone by the reverse list when rejected; the
    code of both operations appears once, in the loop that runs a list.
    """
    dims = static[S_DIMS]
    P, R, D, ppd = dims[0], dims[1], dims[2], dims[3]
    lecture_course = static[S_LECTURE_COURSE]
    neighbour_ptr, neighbours = static[S_NEIGHBOUR_PTR], static[S_NEIGHBOURS]
    unavailable, room_unavailable = static[S_UNAVAILABLE], static[S_ROOM_UNAVAILABLE]
    unsuitable, capacity_penalty = static[S_UNSUITABLE], static[S_CAPACITY_PENALTY]
    min_days = static[S_MIN_DAYS]
    curricula_ptr, curricula = static[S_CURRICULA_PTR], static[S_CURRICULA]
    periods_ptr, periods = static[S_PERIODS_PTR], static[S_PERIODS]
    rooms_ptr, rooms = static[S_ROOMS_PTR], static[S_ROOMS]
    period_allowed, room_allowed = static[S_PERIOD_ALLOWED], static[S_ROOM_ALLOWED]
    lectures_ptr, lectures = static[S_LECTURES_PTR], static[S_LECTURES]
    scheduled = static[S_SCHEDULED]
    n_scheduled = scheduled.shape[0]
    period_of, room_of, cell, room_at = state[D_PERIOD_OF], state[D_ROOM_OF], state[D_CELL], state[D_ROOM_AT]
    day_count, course_days = state[D_DAY_COUNT], state[D_COURSE_DAYS]
    room_count, course_rooms = state[D_ROOM_COUNT], state[D_COURSE_ROOMS]
    cnt = state[D_CURRICULUM_COUNT]
    counters, best_counters = state[D_COUNTERS], state[D_BEST_COUNTERS]
    best_period_of, best_room_of = state[D_BEST_PERIOD_OF], state[D_BEST_ROOM_OF]
    weight, soft_weight = fparams[F_HARD_WEIGHT], fparams[F_SOFT_WEIGHT]
    swap_rate, same_room = fparams[F_SWAP_RATE], fparams[F_SAME_ROOM]
    cooling, final = fparams[F_COOLING], fparams[F_FINAL]
    temperature = fparams[F_TEMPERATURE]
    neighbours_per_level, cutoff = iparams[I_NEIGHBOURS], iparams[I_CUTOFF]
    sampled, accepted = iparams[I_LEVEL_SAMPLED], iparams[I_LEVEL_ACCEPTED]
    rnd = np.uint64(iparams[I_RANDOM])
    to_unit = 1.0 / 9007199254740992.0

    # The operation list: lecture, period, room (ignored when taking out), +1 put in / -1 take out.
    n_load = load.shape[0]
    size = max(4, n_load)
    op_lecture = np.empty(size, dtype=np.int64)
    op_period = np.empty(size, dtype=np.int64)
    op_room = np.empty(size, dtype=np.int64)
    op_step = np.empty(size, dtype=np.int64)
    for i in range(n_load):
        op_lecture[i], op_period[i], op_room[i], op_step[i] = load[i, 0], load[i, 1], load[i, 2], 1
    n_ops = n_load
    mode = 0  # 0: loading, 1: a move was applied, 2: a move was undone

    best_hard, best_soft = hard_violations(best_counters), soft_cost(best_counters)
    current = 0.0
    a = b = pa = ra = pb = rb = 0
    done = 0
    while True:
        # Run the operation list.
        for o in range(n_ops):
            lec, step = op_lecture[o], op_step[o]
            c = lecture_course[lec]
            if step > 0:
                period, room = op_period[o], op_room[o]
                period_of[lec], room_of[lec] = period, room
                cell[period * R + room] = lec
                room_at[c * P + period] = room
            else:
                period, room = period_of[lec], room_of[lec]
                period_of[lec], room_of[lec] = -1, -1
                cell[period * R + room] = -1
                room_at[c * P + period] = -1
            conflicts = 0
            for k in range(neighbour_ptr[c], neighbour_ptr[c + 1]):
                if room_at[neighbours[k] * P + period] >= 0:
                    conflicts += 1
            counters[UNSCHEDULED] -= step
            counters[CONFLICTS] += step * conflicts
            counters[AVAILABILITY] += step * (unavailable[c * P + period] | room_unavailable[room * P + period])
            counters[SUITABILITY] += step * unsuitable[c * R + room]
            counters[CAPACITY] += step * capacity_penalty[c * R + room]
            k = c * D + period // ppd
            if step > 0:
                if day_count[k] == 0:
                    course_days[c] += 1
                    if course_days[c] <= min_days[c]:
                        counters[MISSING_DAYS] -= 1
                day_count[k] += 1
            else:
                day_count[k] -= 1
                if day_count[k] == 0:
                    course_days[c] -= 1
                    if course_days[c] < min_days[c]:
                        counters[MISSING_DAYS] += 1
            k = c * R + room
            if step > 0:
                if room_count[k] == 0:
                    course_rooms[c] += 1
                    if course_rooms[c] >= 2:
                        counters[EXTRA_ROOMS] += 1
                room_count[k] += 1
            else:
                room_count[k] -= 1
                if room_count[k] == 0:
                    course_rooms[c] -= 1
                    if course_rooms[c] >= 1:
                        counters[EXTRA_ROOMS] -= 1
            # Isolated lectures: the change of adding one lecture to each curriculum of the
            # course in the period (removing is the reverse of adding it back).
            slot = period % ppd
            isolated = 0
            for k in range(curricula_ptr[c], curricula_ptr[c + 1]):
                i = curricula[k] + period
                if step < 0:
                    cnt[i] -= 1
                left = cnt[i - 1] if slot > 0 else 0
                right = cnt[i + 1] if slot < ppd - 1 else 0
                gain = 1 if left == 0 and right == 0 else 0
                if cnt[i] == 0:
                    if left != 0 and not (slot > 1 and cnt[i - 2] != 0):
                        gain -= left
                    if right != 0 and not (slot < ppd - 2 and cnt[i + 2] != 0):
                        gain -= right
                if step > 0:
                    cnt[i] += 1
                isolated += gain
            counters[ISOLATED] += step * isolated

        hard = counters[UNSCHEDULED] + counters[CONFLICTS] + counters[AVAILABILITY] + counters[SUITABILITY]
        soft = counters[CAPACITY] + 5 * counters[MISSING_DAYS] + 2 * counters[ISOLATED] + counters[EXTRA_ROOMS]
        candidate = weight * hard + soft_weight * soft
        if mode == 0:
            current = candidate
            if n_load > 0:
                best_hard, best_soft = hard, soft
                best_period_of[:] = period_of
                best_room_of[:] = room_of
                best_counters[:] = counters
        elif mode == 1:
            delta = candidate - current
            take = delta <= 0
            if not take:
                rnd = _xorshift(rnd)
                take = (_draw(rnd) >> 9) * to_unit < np.exp(-delta / temperature)
            if take:
                current = candidate
                if delta != 0:
                    accepted += 1
                if hard < best_hard or (hard == best_hard and soft < best_soft):
                    best_hard, best_soft = hard, soft
                    best_period_of[:] = period_of
                    best_room_of[:] = room_of
                    best_counters[:] = counters
            else:
                # Undo: take the moved lectures out and put them back where they were.
                op_lecture[0], op_step[0] = a, -1
                if b >= 0:
                    op_lecture[1], op_step[1] = b, -1
                    op_lecture[2], op_period[2], op_room[2], op_step[2] = a, pa, ra, 1
                    op_lecture[3], op_period[3], op_room[3], op_step[3] = b, pb, rb, 1
                    n_ops = 4
                else:
                    op_lecture[1], op_period[1], op_room[1], op_step[1] = a, pa, ra, 1
                    n_ops = 2
                mode = 2
                continue

        # Sample the next move.
        mode = 1
        n_ops = 0
        while done < iterations and n_ops == 0 and not (best_hard == 0 and best_soft == 0) and n_scheduled > 0:
            done += 1
            sampled += 1
            if sampled >= neighbours_per_level or accepted >= cutoff:
                temperature = max(final, temperature * cooling)
                sampled = 0
                accepted = 0
            rnd = _xorshift(rnd)
            a = scheduled[_draw(rnd) % n_scheduled]
            ca = lecture_course[a]
            pa, ra = period_of[a], room_of[a]
            b = -1
            rnd = _xorshift(rnd)
            if (_draw(rnd) >> 9) * to_unit < swap_rate:
                # SwapLectures.
                rnd = _xorshift(rnd)
                b = scheduled[_draw(rnd) % n_scheduled]
                cb = lecture_course[b]
                pb, rb = period_of[b], room_of[b]
                if cb == ca or pb == pa:
                    continue
                if room_at[ca * P + pb] >= 0 or room_at[cb * P + pa] >= 0:
                    continue
                if period_allowed[ca * P + pb] == 0 or period_allowed[cb * P + pa] == 0:
                    continue
                if ra == rb or (cell[pb * R + ra] < 0 and cell[pa * R + rb] < 0):
                    new_ra, new_rb = ra, rb
                else:
                    new_ra, new_rb = rb, ra
                if room_allowed[ca * R + new_ra] == 0 or room_allowed[cb * R + new_rb] == 0:
                    continue
                new_pa, new_pb = pb, pa
            else:
                # MoveLecture.
                rnd = _xorshift(rnd)
                new_pa = periods[periods_ptr[ca] + _draw(rnd) % (periods_ptr[ca + 1] - periods_ptr[ca])]
                rnd = _xorshift(rnd)
                if (_draw(rnd) >> 9) * to_unit < same_room:
                    first = lectures_ptr[ca]
                    rnd = _xorshift(rnd)
                    new_ra = room_of[lectures[first + _draw(rnd) % (lectures_ptr[ca + 1] - first)]]
                    if new_ra < 0:
                        continue
                else:
                    rnd = _xorshift(rnd)
                    new_ra = rooms[rooms_ptr[ca] + _draw(rnd) % (rooms_ptr[ca + 1] - rooms_ptr[ca])]
                if new_pa == pa and new_ra == ra:
                    continue
                b = cell[new_pa * R + new_ra]
                new_pb = new_rb = 0
                if b < 0:
                    if new_pa != pa and room_at[ca * P + new_pa] >= 0:
                        continue
                else:
                    cb = lecture_course[b]
                    if cb == ca:
                        continue
                    if new_pa != pa and (room_at[ca * P + new_pa] >= 0 or room_at[cb * P + pa] >= 0):
                        continue
                    if period_allowed[cb * P + pa] == 0 or room_allowed[cb * R + ra] == 0:
                        continue
                    pb, rb = new_pa, new_ra
                    new_pb, new_rb = pa, ra
            op_lecture[0], op_step[0] = a, -1
            if b >= 0:
                op_lecture[1], op_step[1] = b, -1
                op_lecture[2], op_period[2], op_room[2], op_step[2] = a, new_pa, new_ra, 1
                op_lecture[3], op_period[3], op_room[3], op_step[3] = b, new_pb, new_rb, 1
                n_ops = 4
            else:
                op_lecture[1], op_period[1], op_room[1], op_step[1] = a, new_pa, new_ra, 1
                n_ops = 2
        if n_ops == 0:
            break

    fparams[F_TEMPERATURE] = temperature
    iparams[I_RANDOM] = np.int64(rnd)
    iparams[I_LEVEL_SAMPLED], iparams[I_LEVEL_ACCEPTED] = sampled, accepted
    iparams[I_ITERATIONS] += done
    return done
